"""The "for the accountant" form of Faktury and Archiwum has a route of its own: a month the API would
refuse brings the user back to the page they came from, the message next to the month field and the
month kept (no raw JSON page); an accepted one downloads the ZIP. The API answers as before."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backend.clients.models import ClientMembership
from backend.invoices.models import AccountingExport
from tests.client_correctness.helpers import visible_text
from tests.factories import InvoiceFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def next_month() -> str:
    today = timezone.localdate()
    return f"{today.year + today.month // 12}-{today.month % 12 + 1:02d}"


@pytest.mark.parametrize(("origin", "page"), [({}, "invoices"), ({"from": "archive"}, "archive")])
def test_a_future_month_goes_back_to_the_page_with_the_message_by_the_field(
    client, client_user, origin, page
):
    logged_in(client, client_user)
    list_page = client.get(reverse(page)).content.decode()
    assert f'action="{reverse("accounting-zip")}"' in list_page

    refused = client.post(reverse("accounting-zip"), {"month": next_month(), **origin})

    assert refused.status_code == 302
    assert refused["Location"] == reverse(page) + "#accounting-zip"
    body = client.get(refused["Location"]).content.decode()
    assert 'id="accounting-month-error"' in body and 'aria-invalid="true"' in body
    assert f'value="{next_month()}"' in body
    assert "Miesiąc nie może być z przyszłości." in visible_text(body)
    # shown once: the page opened again offers this month, without the message
    again = client.get(reverse(page)).content.decode()
    assert 'id="accounting-month-error"' not in again


def test_a_malformed_month_keeps_what_was_typed(client, client_user):
    logged_in(client, client_user)

    refused = client.post(reverse("accounting-zip"), {"month": "2026-13"})
    body = client.get(refused["Location"]).content.decode()

    assert 'value="2026-13"' in body
    assert "Podaj miesiąc w formacie RRRR-MM, np. 2026-03." in visible_text(body)


def test_an_accepted_month_downloads_the_zip(client, client_user, acme):
    month = timezone.localdate().replace(day=1)
    InvoiceFactory(client=acme, number="FV/Z/1", issue_date=month)

    started = logged_in(client, client_user).post(reverse("accounting-zip"), {"month": f"{month:%Y-%m}"})
    assert started.status_code == 302  # back to the page: the worker prepares it (eager in the tests)
    export = AccountingExport.objects.get(user=client_user)
    response = client.get(reverse("accounting-export-file", args=[export.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f"faktury_{acme.nip}_{month:%Y-%m}.zip" in response["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert "faktura_FV_Z_1.pdf" in names


def test_a_package_is_started_only_by_a_post_with_the_csrf_token(client_user):
    # A GET (a link or redirect on any other site carries the session cookie) starts nothing.
    browser = Client(enforce_csrf_checks=True)
    logged_in(browser, client_user)
    month = f"{timezone.localdate():%Y-%m}"

    by_link = browser.get(reverse("accounting-zip"), {"month": month})
    forged = browser.post(reverse("accounting-zip"), {"month": month})

    # require_POST's 405, which the portal turns into a way back to the form's page (post_only_pages.py)
    assert (by_link.status_code, by_link["Location"]) == (302, reverse("invoices"))
    assert forged.status_code == 403  # no CSRF token
    assert not AccountingExport.objects.exists()


def test_the_api_still_answers_a_refusal_in_json(api_as, client_user):
    response = api_as(client_user).post(
        "/api/invoices/accounting-zip/", {"month": next_month()}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"]["month"]


def test_the_page_route_needs_the_exports_area(client, acme):
    fleet = MembershipFactory(user=UserFactory(), client=acme, role=ClientMembership.Role.FLEET_MANAGER)

    response = logged_in(client, fleet.user).post(reverse("accounting-zip"), {"month": "2026-01"})

    assert response.status_code == 403
