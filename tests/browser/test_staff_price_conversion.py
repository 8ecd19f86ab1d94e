"""In Chromium: staff approve a contract value change priced in EUR on a PLN contract. The approve form
asks for the rate and its date, shows the converted amount while the rate is typed (before the
confirmation), and the approval changes the contract by that amount. Screenshots at 1280 and 375 px go to
$PORTAL_SCREENSHOTS if set."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from backend.contracts.models import Contract
from backend.requests_app.models import PortalRequest
from tests.browser.conftest import log_in
from tests.factories import ContractFactory
from tests.requests_app.helpers import submission, upload

SHOTS = os.environ.get("PORTAL_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def submit_in_eur(client_user, contract, net_amount: str, currency: str = "EUR") -> PortalRequest:
    api = APIClient()
    api.force_login(client_user)
    body = submission(
        "contract_value_change",
        contract=contract,
        data={"option": "additional_equipment", "net_amount": net_amount, "currency": currency},
        attachment_ids=[upload(api).json()["id"]],
    )
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return PortalRequest.objects.get(pk=response.json()["id"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_staff_approve_a_eur_price_seeing_the_converted_amount_first(
    browser, live_server, bok_staff, client_user, acme_contract, width
):
    portal_request = submit_in_eur(client_user, acme_contract, "30000.02")
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{portal_request.pk}/")
    page.click("#claim")

    # the approve form asks for the NBP rate of 1 EUR in zł and shows nothing converted yet
    rate = page.locator("#approve-exchange_rate")
    assert page.locator("label[for=approve-exchange_rate]").inner_text().startswith("Kurs NBP: 1 EUR = … zł")
    output = page.locator("[data-rate-output]")
    assert output.inner_text() == "wpisz kurs"

    # typed the Polish way, the converted amount shows at once, rounded half-up to grosze
    rate.fill("4,25")
    assert output.inner_text() == "127\u00a0500,09\u00a0zł"
    # with the formula in words: the price multiplied by the rate
    formula = page.locator("[data-rate-formula-output]")
    assert formula.inner_text() == "30\u00a0000,02\u00a0EUR × 4,2500\u00a0zł/EUR = 127\u00a0500,09\u00a0zł"
    rate.fill("4,2x")
    assert output.inner_text() == "wpisz kurs"
    assert not formula.is_visible()
    rate.fill("4,25")
    page.fill("#approve-rate_date", (timezone.localdate() - timedelta(days=3)).isoformat())
    page.fill("#approve-answer", "Zgoda na nową cenę.")
    rate.scroll_into_view_if_needed()
    shot(page, f"e_staff_rate_{width}")
    # no horizontal scroll on a phone: the fields fit the form
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.click("#form-approve button[type=submit]")
    # the confirmation's question says what the approval applies
    assert "= 127\u00a0500,09\u00a0zł" in page.locator("#decision-confirm-title").inner_text()
    # the page still shows the claim's message: wait for the decision's page, not for any message
    with page.expect_navigation():
        page.click("#decision-confirm-ok")  # the decision asks first
    page.wait_for_selector(".messages")

    # the contract changed by the converted amount; the history says both amounts
    assert Contract.objects.get(pk=acme_contract.pk).net_value == Decimal("127500.09")
    history = page.locator("#request-history").inner_text()
    assert "30\u00a0000,02\u00a0EUR × 4,2500\u00a0zł/EUR = 127\u00a0500,09\u00a0zł" in history
    shot(page, f"e_staff_rate_done_{width}")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_approve_a_pln_price_on_a_eur_contract_dividing_by_the_nbp_rate(
    browser, live_server, bok_staff, client_user, acme
):
    contract = ContractFactory(client=acme, currency="EUR", net_value=Decimal("30000.00"))
    portal_request = submit_in_eur(client_user, contract, "130000.00", currency="PLN")
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{portal_request.pk}/")
    page.click("#claim")

    # the rate asked is the one NBP publishes, 1 EUR in zł (not 1 zł in EUR), and it divides the price
    assert page.locator("label[for=approve-exchange_rate]").inner_text().startswith("Kurs NBP: 1 EUR = … zł")
    page.fill("#approve-exchange_rate", "4,25")
    assert page.locator("[data-rate-output]").inner_text() == "30\u00a0588,24\u00a0EUR"
    assert (
        page.locator("[data-rate-formula-output]").inner_text()
        == "130\u00a0000,00\u00a0zł ÷ 4,2500\u00a0zł/EUR = 30\u00a0588,24\u00a0EUR"
    )
    page.fill("#approve-rate_date", (timezone.localdate() - timedelta(days=3)).isoformat())
    shot(page, "e_staff_rate_divide_1280")
    page.click("#form-approve button[type=submit]")
    with page.expect_navigation():
        page.click("#decision-confirm-ok")
    page.wait_for_selector(".messages")
    assert Contract.objects.get(pk=contract.pk).net_value == Decimal("30588.24")
    context.close()
