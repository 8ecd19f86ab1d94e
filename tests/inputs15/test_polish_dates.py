"""Dates typed the Polish way (dd.mm.rrrr, as the portal shows them) are read wherever a date is typed:
the permit form (page without a calendar widget, API) and the staff's complaint extension (page, API).
ISO stays accepted; anything else is refused naming the format in the reader's words, and a page puts
the typed date back into its <input type="date"> in the only form that input shows (ISO)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client as PageClient
from django.utils import timezone

from backend.requests_app.models import ComplaintClock, PortalRequest
from tests.complaints.test_clock import RECEIVED, submit_complaint
from tests.logged_in_clients import browsing_as
from tests.permits.test_permit_api import submit
from tests.permits.test_permit_page import URL as PERMIT_URL
from tests.permits.test_permit_page import form

pytestmark = pytest.mark.django_db
FORMAT_HINT = "dd.mm.rrrr"


def polish(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def polish_trip(start: int = 10, days: int = 10) -> dict:
    today = timezone.localdate()
    return {
        "countries": ["DE"],
        "date_from": polish(today + timedelta(days=start)),
        "date_to": polish(today + timedelta(days=start + days - 1)),
    }


@pytest.fixture
def page(client_user) -> PageClient:
    return browsing_as(client_user)


def test_the_api_takes_a_permits_dates_written_the_polish_way(api_as, client_user, vehicle_contract):
    response = submit(api_as(client_user), vehicle_contract, polish_trip())
    assert response.status_code == 201, response.json()
    made = PortalRequest.objects.get(pk=response.json()["id"])
    assert made.form_data["date_from"] == (timezone.localdate() + timedelta(days=10)).isoformat()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("30-11-2026", FORMAT_HINT),
        ("30/11/2026", FORMAT_HINT),
        ("jutro", FORMAT_HINT),
        ("31.02.2027", "Taka data nie istnieje."),
        ("2027-02-29", "Taka data nie istnieje."),
    ],
)
def test_an_unreadable_date_is_refused_in_polish_words(api_as, client_user, vehicle_contract, typed, message):
    response = submit(api_as(client_user), vehicle_contract, {**polish_trip(), "date_from": typed})
    assert response.status_code == 400
    (text,) = response.json()["fields"]["data.date_from"]
    assert message in text and "YYYY" not in text


def test_the_permit_page_takes_a_pasted_polish_date(
    page, vehicle_contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(PERMIT_URL, form(vehicle_contract, polish_trip()))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert PortalRequest.objects.filter(kind="vehicle_abroad_permit").count() == 1


def test_a_refused_permit_form_keeps_the_typed_date_in_a_form_the_date_input_shows(page, vehicle_contract):
    trip = polish_trip()
    response = page.post(PERMIT_URL, form(vehicle_contract, {**trip, "countries": []}))
    assert response.status_code == 400
    html = response.content.decode()
    iso = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert f'value="{iso}"' in html and f'value="{trip["date_from"]}"' not in html


def test_the_api_extends_a_complaints_deadline_to_a_polish_date(api_as, client_user, bok_staff):
    with time_machine.travel(RECEIVED, tick=False):
        submitted = submit_complaint(api_as(client_user))
        url = f"/api/staff/requests/{submitted['id']}/extend-deadline/"
        reason = "Czekamy na opinię ubezpieczyciela."
        refused = api_as(bok_staff).post(url, {"new_deadline": "10/01/2027", "extension_reason": reason})
        assert refused.status_code == 400
        assert FORMAT_HINT in refused.json()["fields"]["new_deadline"][0]
        done = api_as(bok_staff).post(
            url, {"new_deadline": "10.01.2027", "extension_reason": reason}, format="json"
        )
        assert done.status_code == 200, done.json()
        assert ComplaintClock.objects.get(request_id=submitted["id"]).deadline == date(2027, 1, 10)


def test_the_staff_page_extends_to_a_polish_date_and_keeps_it_showable(
    api_as, client, client_user, bok_staff
):
    with time_machine.travel(RECEIVED, tick=False):
        submitted = submit_complaint(api_as(client_user))
        client.force_login(bok_staff)
        url = f"/staff/complaints/{submitted['id']}/extend-deadline/"
        refused = client.post(url, {"new_deadline": "10.01.2027", "extension_reason": ""})
        assert refused.status_code == 400
        assert 'value="2027-01-10"' in refused.content.decode()
        done = client.post(url, {"new_deadline": "10.01.2027", "extension_reason": "Czekamy na opinię."})
        assert done.status_code == 302
        assert ComplaintClock.objects.get(request_id=submitted["id"]).deadline == date(2027, 1, 10)
