"""Who may see and do what: foreign requests are 404, wrong roles are 403; idempotent submit; lists."""

from __future__ import annotations

import pytest

from backend.requests_app.models import PortalRequest, RequestKind
from tests.requests_app.helpers import submission, upload

pytestmark = pytest.mark.django_db

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


@pytest.fixture
def acme_request(api_as, client_user, acme_contract):
    response = api_as(client_user).post(
        "/api/requests/",
        submission("payment_date_change", contract=acme_contract, data=PAYMENT),
        format="json",
    )
    assert response.status_code == 201
    return response.json()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/requests/{id}/", None),
        ("post", "/api/requests/{id}/reply/", {"message": "Cudzy"}),
        ("post", "/api/requests/{id}/cancel/", None),
        ("get", "/api/requests/{id}/comments/", None),
        ("post", "/api/requests/{id}/comments/", {"message": "Cudzy"}),
        ("get", "/api/requests/{id}/decision-document/", None),
    ],
)
def test_another_clients_request_is_not_found(method, path, body, api_as, other_client_user, acme_request):
    # when
    response = getattr(api_as(other_client_user), method)(
        path.format(id=acme_request["id"]), body, format="json"
    )

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert PortalRequest.objects.get(pk=acme_request["id"]).status == "in_review"


def test_clients_list_only_their_requests(api_as, client_user, other_client_user, acme_request):
    # when
    mine = api_as(client_user).get("/api/requests/", {"status": "in_review"})
    theirs = api_as(other_client_user).get("/api/requests/")

    # then
    assert [r["id"] for r in mine.json()["results"]] == [acme_request["id"]]
    assert theirs.json()["results"] == []


def test_client_cannot_use_staff_endpoints(api_as, client_user, acme_request):
    api = api_as(client_user)
    assert api.get("/api/staff/tasks/").status_code == 403
    assert (
        api.post(f"/api/staff/requests/{acme_request['id']}/approve/", {}, format="json").status_code == 403
    )
    assert api.post(f"/api/staff/requests/{acme_request['id']}/claim/").status_code == 403


def test_staff_cannot_submit_as_a_client(api_as, bok_staff, acme_contract):
    response = api_as(bok_staff).post(
        "/api/requests/",
        submission("payment_date_change", contract=acme_contract, data=PAYMENT),
        format="json",
    )
    assert response.status_code == 403


def test_anonymous_is_refused(acme_request):
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/requests/{acme_request['id']}/").status_code == 401


def test_catalogue_lists_types_kinds_forms_and_labels(api_as, client_user):
    # when
    response = api_as(client_user).get("/api/requests/catalogue/")

    # then
    assert response.status_code == 200
    kinds = {k["kind"]: k for t in response.json() for k in t["kinds"]}
    # Every kind a client can submit, the five original ones and the later ones (complaint, …).
    assert set(kinds) == set(RequestKind.values)
    assert {"payment_date_change", "other_request", "complaint"} <= set(kinds)
    assert kinds["complaint"]["label"] == {"pl": "Reklamacja", "en": "Complaint"}
    payment = kinds["payment_date_change"]
    assert payment["label"] == {"pl": "Zmiana daty płatności raty", "en": "Payment day change"}
    assert payment["form_schema"]["properties"]["data"]["properties"]["payment_day"]["enum"] == [15, 20, 25]
    assert kinds["contract_value_change"]["needs_attachment"] is True
    assert all(d["label"]["pl"] and d["label"]["en"] for d in payment["declarations"])


def test_idempotent_submit_never_makes_a_second_request(api_as, client_user, acme_contract):
    # given
    api = api_as(client_user)
    body = submission("payment_date_change", contract=acme_contract, data=PAYMENT)

    # when the same submit is retried with the same key
    first = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    retry = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    # then
    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert PortalRequest.objects.count() == 1

    # when the same key comes with another body
    other = api.post(
        "/api/requests/",
        submission(
            "payment_date_change", contract=acme_contract, data={"payment_day": 25, "reason": "cash_flow"}
        ),
        format="json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )

    # then
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert PortalRequest.objects.count() == 1


def test_request_numbers_are_sequential_per_year(api_as, client_user, acme_contract):
    api = api_as(client_user)
    numbers = [
        api.post(
            "/api/requests/",
            # of a kind a contract takes several of at once (one open payment day change per contract)
            submission(
                "other_request", contract=acme_contract, data={"subject": "Pytanie", "message": "Treść"}
            ),
            format="json",
        ).json()["number"]
        for _ in range(3)
    ]
    sequence = [int(n.rsplit("/", 1)[1]) for n in numbers]
    assert sequence == [sequence[0], sequence[0] + 1, sequence[0] + 2]
    assert len(set(numbers)) == 3


def test_comments_with_attachments_from_both_sides(api_as, client_user, bok_staff, acme_request):
    # given
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    client_file = upload(client_api).json()["id"]
    staff_file = upload(staff_api, query=f"?request={acme_request['id']}").json()["id"]

    # when
    by_client = client_api.post(
        f"/api/requests/{acme_request['id']}/comments/",
        {"message": "Dosyłam dokument.", "attachment_ids": [client_file]},
        format="json",
    )
    by_staff = staff_api.post(
        f"/api/staff/requests/{acme_request['id']}/comments/",
        {"message": "Dziękujemy.", "attachment_ids": [staff_file]},
        format="json",
    )

    # then
    assert by_client.status_code == 201, by_client.json()
    assert by_staff.status_code == 201, by_staff.json()
    comments = client_api.get(f"/api/requests/{acme_request['id']}/comments/").json()
    assert [(c["author"], c["message"]) for c in comments] == [
        ("client", "Dosyłam dokument."),
        ("staff", "Dziękujemy."),
    ]
    download = client_api.get(comments[1]["attachments"][0]["download_url"])
    assert download.status_code == 200
    from backend.core.models import OutboxEvent

    assert OutboxEvent.objects.filter(kind=OutboxEvent.Kind.REQUEST_COMMENT).count() == 2


def test_an_attachment_cannot_be_used_twice(api_as, client_user, acme_request):
    # given
    api = api_as(client_user)
    file_id = upload(api).json()["id"]
    api.post(
        f"/api/requests/{acme_request['id']}/comments/",
        {"message": "1", "attachment_ids": [file_id]},
        format="json",
    )

    # when
    again = api.post(
        f"/api/requests/{acme_request['id']}/comments/",
        {"message": "2", "attachment_ids": [file_id]},
        format="json",
    )

    # then
    assert again.status_code == 400
    assert "attachment_ids" in again.json()["fields"]


def test_outbox_payload_carries_ids_and_codes_only(acme_request):
    from backend.core.models import OutboxEvent

    event = OutboxEvent.objects.filter(kind=OutboxEvent.Kind.REQUEST_SUBMITTED).get()
    assert set(event.payload) == {
        "request_id",
        "number",
        "request_kind",
        "stage",
        "status",
        "waiting_for",
        "actor_id",  # the submitter's id: each socket hears only whether it was its user (`own`)
    }
    assert event.payload["request_id"] == acme_request["id"]
