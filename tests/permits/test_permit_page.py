"""The permit form page submits through the same helper as the other request forms (submit_posted):
a valid form makes the request and redirects to it, a refused one comes back with the error next to its
input, and a reload with the same idempotency key shows the first request instead of making another."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.requests_app.catalogue import KIND_DECLARATIONS
from backend.requests_app.models import PortalRequest
from tests.logged_in_clients import browsing_as
from tests.permits.test_permit_api import trip

pytestmark = pytest.mark.django_db
KIND = "vehicle_abroad_permit"
URL = reverse("request-new-permit")


def form(contract, data: dict, key: str = "page-key-1") -> dict:
    return {
        "idempotency_key": key,
        "contract_id": str(contract.pk),
        "contact__name": "Jan Kowalski",
        "contact__phone": "600100200",
        "contact__email": "jan@example.com",
        "data__countries": data["countries"],
        "data__date_from": data["date_from"],
        "data__date_to": data["date_to"],
        **{f"declarations__{code}": "on" for code in KIND_DECLARATIONS[KIND]},
    }


@pytest.fixture
def page(client_user):
    return browsing_as(client_user)


def test_a_valid_form_submits_once_and_redirects_to_the_request(
    page,
    vehicle_contract,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(URL, form(vehicle_contract, trip()))
    made = PortalRequest.objects.get(kind=KIND)
    assert response.status_code == 302
    assert response.url == reverse("request-page", kwargs={"request_id": made.pk})
    again = page.post(URL, form(vehicle_contract, trip()))  # a reload of the sent form
    assert again.status_code == 302 and again.url == response.url
    assert PortalRequest.objects.filter(kind=KIND).count() == 1


def test_a_refused_form_comes_back_with_the_error_at_its_input(page, vehicle_contract):
    response = page.post(URL, form(vehicle_contract, trip(countries=())))
    assert response.status_code == 400
    assert not PortalRequest.objects.filter(kind=KIND).exists()
    assert "data__countries" in response.context["errors"]


def test_an_empty_form_reports_every_problem_in_one_round(page, vehicle_contract):
    """A missing phone stopped the check before the trip's rules: countries, dates and declarations were
    only reported after a second submit."""
    response = page.post(
        URL,
        {
            "idempotency_key": "page-key-empty",
            "contract_id": str(vehicle_contract.pk),
            "contact__name": "Jan Kowalski",
            "contact__phone": "",
            "contact__email": "jan@example.com",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    for field in ("contact__phone", "data__countries", "data__date_from", "data__date_to"):
        assert f'id="err-f-{field}"' in html or f'href="#f-{field}"' in html, field
    assert not PortalRequest.objects.exists()
