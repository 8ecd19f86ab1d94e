"""An outside accessibility tester's findings on server-rendered parts: the open request a refusal names
is a link with its number, the permit revocation's error at its field with a confirmation, the permit
check's title saying the result, and no duplicated landmarks or headings."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from backend.permits.models import VehiclePermit
from backend.requests_app.models import PortalRequest
from tests.logged_in_clients import logged_in
from tests.permits.conftest import vehicle_contract  # noqa: F401 (fixture)
from tests.permits.test_permit_api import permit  # noqa: F401 (fixture)
from tests.portal_ui.test_request_pages import contract, submit_payment_day_change  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_refusal_naming_the_open_request_links_it_by_its_number(client, client_user, contract):  # noqa: F811
    browser = logged_in(client, client_user)
    assert submit_payment_day_change(browser, contract).status_code == 302
    first = PortalRequest.objects.get()

    response = submit_payment_day_change(browser, contract, idempotency_key="key-2")

    html = response.content.decode()
    assert response.status_code == 400
    link = f'<a href="/requests/{first.pk}/">{first.number}</a>'
    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    field_error = re.search(r'<ul class="errorlist" id="err-contract_id">.*?</ul>', html, re.S).group(0)
    assert link in field_error and "http://" not in field_error
    # told once, at the field (client35): the summary is one link to the field, no address in it
    assert "http://" not in summary and link not in summary
    assert re.findall(r'<a href="([^"]*)">', summary) == ["#f-contract_id"]


@pytest.mark.parametrize("reason", ["", "x"])
def test_a_refused_revocation_reason_comes_back_at_its_field(reason, permit, bok_staff):  # noqa: F811
    page = Client()
    page.force_login(bok_staff)

    response = page.post(f"/staff/permits/{permit.request_id}/revoke/", {"reason": reason})

    html = response.content.decode()
    assert response.status_code == 400
    field = re.search(r'<textarea id="revoke-reason"[^>]*>([^<]*)</textarea>', html)
    assert 'aria-invalid="true"' in field.group(0) and 'aria-describedby="err-revoke-reason"' in field.group(
        0
    )
    assert field.group(1) == reason
    assert 'id="err-revoke-reason"' in html
    assert VehiclePermit.objects.get(pk=permit.pk).status == VehiclePermit.Status.VALID


def test_the_revocation_asks_before_it_is_sent(permit, bok_staff):  # noqa: F811
    page = Client()
    page.force_login(bok_staff)

    html = page.get(f"/staff/tasks/{permit.request_id}/").content.decode()

    form = re.search(r'<form[^>]*id="form-revoke-permit"[^>]*>', html).group(0)
    assert 'data-confirm="Cofnąć zgodę?' in form


def test_the_permit_checks_title_says_the_result(permit):  # noqa: F811
    page = Client()
    valid = page.get(f"/verify/permit/{permit.code}/?lang=pl").content.decode()
    unknown = page.get("/verify/permit/ZZZZ-ZZZZ/?lang=en").content.decode()

    assert "<title>Zgoda ważna – Weryfikacja zgody" in valid
    assert "<title>Permit not found – Permit verification" in unknown


def test_no_landmark_or_heading_is_said_twice(client, client_user, bok_staff):
    client_page = logged_in(client, client_user)
    notices = client_page.get("/notices/").content.decode()
    new_request = client_page.get("/requests/new/").content.decode()

    assert notices.count(">Powiadomienia</h") == 1
    assert 'role="listitem"' in new_request and not re.search(r'<section[^>]*role="listitem"', new_request)


def test_the_inbox_card_is_not_a_second_region_of_its_tables_name(bok_staff):
    page = Client()
    page.force_login(bok_staff)

    html = page.get("/staff/messages/").content.decode()

    assert '<section class="card" id="inbox-results">' in html
