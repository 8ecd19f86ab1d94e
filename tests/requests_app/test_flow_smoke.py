import pytest

from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


def test_payment_date_change_approve(api_as, client_user, bok_staff, acme_contract):
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    response = client_api.post(
        "/api/requests/",
        submission(
            "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    request_id = response.json()["id"]
    assert response.json()["status"] == "in_review"
    response = staff_api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
