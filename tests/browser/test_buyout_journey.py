"""Buyout journey in headless Chromium: from the contract's page pick a date (a past one is refused next to
the field), see the quote, download its PDF, "Złóż wniosek"; staff counter; the client accepts; staff
approve and the contract is bought out. Pages are reloaded between the two people's steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as DjangoClient
from django.utils import timezone

from backend.contracts.models import BuyoutQuote, Contract
from backend.requests_app.models import PortalRequest
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in
from tests.factories import ContractFactory


@pytest.fixture
def staff_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quote_request_counter_accept_approve(page, staff_page, live_server, client_user, bok_staff, acme):
    contract = ContractFactory(client=acme)
    log_in(page, client_user)

    # the contract's page leads to the buyout
    page.goto(f"/contracts/{contract.pk}/")
    page.click("#buyout-link")
    page.wait_for_url(f"**/contracts/{contract.pk}/buyout/")

    # a date in the past is refused next to the field
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page.fill("#id_effective_date", yesterday)
    live = page.locator("#effective-date-live")
    live.wait_for()
    assert "w przeszłości" in live.inner_text()
    page.click("#compute-quote")
    error = page.locator("#id_effective_date-error")
    error.wait_for()
    assert "w przeszłości" in error.inner_text()
    assert_accessible(page, "buyout date picker with an error")

    # a valid date gives the quote, in Polish money format, with its PDF
    page.fill("#id_effective_date", (timezone.localdate() + timedelta(days=20)).isoformat())
    page.click("#compute-quote")
    page.wait_for_selector("[data-testid=quote-total]")
    quote = BuyoutQuote.objects.get()
    assert page.inner_text("[data-testid=quote-total]").replace("\u00a0", " ").endswith(" zł")
    assert f"{quote.total:.2f}".split(".")[1] in page.inner_text("[data-testid=quote-total]")
    assert_accessible(page, "buyout quote")
    with page.expect_download() as download:
        page.click("#quote-pdf")
    assert download.value.suggested_filename.startswith("wycena-wykupu-WK-")

    # "Złóż wniosek"
    page.fill("#contact_name", "Anna Kowalska")
    page.fill("#contact_phone", "+48 601 234 567")
    page.fill("#contact_email", "anna.kowalska@acme.pl")
    for code in ("data_true", "privacy_notice", "fees", "authorised"):
        page.check(f"#declaration_{code}")
    page.click("#submit-buyout-request")
    page.wait_for_url("**/requests/*/")
    portal_request = PortalRequest.objects.get()
    page.locator("[data-testid=buyout-panel]").wait_for()

    # staff counter with a lower total
    # staff come in with a session made by force_login (a session that has met the second factor)
    staff_session = DjangoClient()
    staff_session.force_login(bok_staff)
    staff_page.context.add_cookies(
        [{"name": "sessionid", "value": staff_session.cookies["sessionid"].value, "url": live_server.url}]
    )
    staff_page.goto(f"/staff/tasks/{portal_request.pk}/")
    staff_page.fill("#counter-total", "50 000,00")
    staff_page.fill("#counter-reason", "Rabat za terminowe płatności")
    with staff_page.expect_navigation():
        staff_page.click("#send-counter")

    # the client sees the counter-offer and accepts it
    page.reload()
    counter = page.locator("[data-testid=counter-total]")
    counter.wait_for()
    assert counter.inner_text().replace("\u00a0", " ") == "50 000,00 zł"
    with page.expect_navigation():
        page.click("#accept-counter")
    assert page.locator("#accept-counter").count() == 0

    # staff approve: the counter total binds and the contract is bought out on the effective date
    staff_page.goto(f"/staff/tasks/{portal_request.pk}/")
    staff_page.click("#form-approve button[type=submit]")
    with staff_page.expect_navigation():
        staff_page.click("#decision-confirm-ok")  # the decision asks first
    portal_request.refresh_from_db()
    assert portal_request.status == "completed"
    quote.refresh_from_db()
    assert quote.status == "accepted" and f"{quote.accepted_total:.2f}" == "50000.00"
    bought_out = Contract.objects.get(pk=contract.pk)  # active until that date, ended the day after
    assert (bought_out.status, bought_out.end_date) == (Contract.Status.ACTIVE, quote.effective_date)
