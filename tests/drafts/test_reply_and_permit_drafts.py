"""Drafts on the request page's reply form (the client answering staff's question) and on the permit
form: offered by the page, saved per user and client through /api/drafts/, deleted on a successful send
only (a refused send keeps them)."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.drafts.models import Draft
from tests.logged_in_clients import browsing_as
from tests.permits.conftest import vehicle_contract  # noqa: F401 (fixture)
from tests.permits.test_permit_api import trip
from tests.permits.test_permit_page import form as permit_form
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db
URL = "/api/drafts/"


@pytest.fixture
def page(client_user) -> PageClient:
    return browsing_as(client_user)


@pytest.fixture
def asked(api_as, client_user, bok_staff) -> int:
    """A request of the client that waits for the client's reply to staff's question."""
    body = submission("other_request", data={"subject": "Pytanie", "message": "Treść pytania"})
    request_id = api_as(client_user).post("/api/requests/", body, format="json").json()["id"]
    response = api_as(bok_staff).post(
        f"/api/staff/requests/{request_id}/ask-client/", {"question": "Prosimy o skan umowy."}, format="json"
    )
    assert response.status_code == 200, response.json()
    return request_id


def put_draft(page: PageClient, key: str, data: dict) -> None:
    response = page.put(URL, {"form_key": key, "data": data}, content_type="application/json")
    assert response.status_code == 200, response.json()


def test_the_reply_form_keeps_a_draft_until_the_reply_is_sent(page, asked, api_as, other_client_user):
    key = f"request:reply:{asked}"
    html = page.get(reverse("request-page", args=[asked])).content.decode()
    assert f'data-draft-key="{key}"' in html and "portal_ui/drafts.js" in html

    put_draft(page, key, {"message": "Skan wyślę jutro"})
    put_draft(page, "request:complaint", {"data__subject": "Inny formularz"})
    # only its owner reads it
    assert api_as(other_client_user).get(f"{URL}?form_key={key}").json() == []
    assert [d["data"] for d in page.get(f"{URL}?form_key={key}").json()] == [{"message": "Skan wyślę jutro"}]

    # a refused reply (empty) keeps the draft, and the page does not offer it over the typed text
    refused = page.post(reverse("request-reply", args=[asked]), {"message": ""})
    assert refused.status_code == 400
    assert 'data-draft-offerable="false"' in refused.content.decode()
    assert Draft.objects.filter(form_key=key).exists()

    # a sent reply deletes that draft only
    sent = page.post(reverse("request-reply", args=[asked]), {"message": "Skan w załączeniu."})
    assert sent.status_code == 302
    assert list(Draft.objects.values_list("form_key", flat=True)) == ["request:complaint"]


def test_a_request_not_waiting_for_the_client_offers_no_reply_draft(page, api_as, client_user):
    body = submission("other_request", data={"subject": "Pytanie", "message": "Treść pytania"})
    request_id = api_as(client_user).post("/api/requests/", body, format="json").json()["id"]
    html = page.get(reverse("request-page", args=[request_id])).content.decode()
    assert "request:reply:" not in html


def test_a_reply_key_must_name_a_request_id(page):
    refused = page.put(URL, {"form_key": "request:reply:abc", "data": {}}, content_type="application/json")
    assert refused.status_code == 400 and "form_key" in refused.json()["fields"]


def test_the_permit_form_keeps_a_draft_of_its_countries_until_sent(
    page,
    vehicle_contract,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    key = "request:vehicle_abroad_permit"
    html = page.get(reverse("request-new-permit")).content.decode()
    assert f'data-draft-key="{key}"' in html and "portal_ui/drafts.js" in html

    # the checked countries are one field: a list
    put_draft(page, key, {"data__countries": ["DE", "CZ"], "data__date_from": "2026-12-01"})
    assert page.get(f"{URL}?form_key={key}").json()[0]["data"]["data__countries"] == ["DE", "CZ"]

    refused = page.post(reverse("request-new-permit"), permit_form(vehicle_contract, trip(countries=())))
    assert refused.status_code == 400 and Draft.objects.filter(form_key=key).exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = page.post(reverse("request-new-permit"), permit_form(vehicle_contract, trip(), key="k-2"))
    assert sent.status_code == 302
    assert not Draft.objects.filter(form_key=key).exists()
