"""Staff walk, session 34b: what a staff member sees before the click.

The approve box of a change its contract refuses now (an open early termination request holds a quote on
it) says so with the way to that request, and offers no approval to confirm in vain; asking and rejecting
stay. The client page on a phone opens its invoices as the newest few with the way to the full list,
instead of a screen-high card per invoice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_staff_inbox import open_as
from tests.effects_walk.helpers import new_buyout_quote, request_buyout, submit
from tests.factories import InvoiceFactory, PaymentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_change_held_by_a_buyout_says_so_in_the_approve_box(
    browser, asgi_server, api_as, client_user, bok_staff, acme_contract
):
    client_api = api_as(client_user)
    quote = new_buyout_quote(client_api, acme_contract)
    buyout = request_buyout(client_api, acme_contract, quote["id"]).json()
    change = submit(
        client_api, "payment_date_change", acme_contract, {"payment_day": 20, "reason": "cash_flow"}
    ).json()

    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{change['id']}/")
    try:
        box = page.locator("section[aria-labelledby=approve-title]")
        warning = box.locator("#approval-refused")
        assert warning.is_visible()
        assert f"Wniosek o wcześniejsze zakończenie umowy {buyout['number']}" in warning.inner_text()
        # no approve button to press and confirm only to be refused; the other decisions stay
        assert page.get_by_role("button", name="Zatwierdź wniosek").count() == 0
        assert page.get_by_role("button", name="Odrzuć wniosek").is_enabled()
        assert page.get_by_role("button", name="Wyślij pytanie").is_enabled()
        page.set_viewport_size({"width": 375, "height": 800})
        warning.scroll_into_view_if_needed()

        warning.get_by_role("link", name=f"Przejdź do wniosku {buyout['number']}").click()
        page.wait_for_url(f"**/staff/tasks/{buyout['id']}/")
        assert buyout["number"] in page.locator("h1").inner_text()
    finally:
        context.close()


def test_the_client_page_on_a_phone_opens_the_newest_invoices(browser, asgi_server, bok_staff, acme):
    today = timezone.localdate()
    for n in range(40):
        invoice = InvoiceFactory(
            client=acme, number=f"FV/2026/7{n:06d}", issue_date=today - timedelta(days=n)
        )
        if n % 2:
            PaymentFactory(invoice=invoice)

    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/clients/{acme.pk}/")
    try:
        page.set_viewport_size({"width": 375, "height": 800})
        invoices = page.locator("#invoices")
        # five cards and the way on, not twenty cards (about 6,000 px on a phone)
        assert invoices.locator("[data-testid=invoice-row]").count() == 5
        assert invoices.bounding_box()["height"] < 2500
        assert page.locator("#payments").bounding_box()["height"] < 3000
        page.set_viewport_size({"width": 1280, "height": 900})

        invoices.get_by_role("link", name="Pokaż całą listę (40)").click()
        page.wait_for_url("**invoices_page=1**")
        assert page.locator("#invoices [data-testid=invoice-row]").count() == 20
        assert page.locator("#invoices").get_by_role("link", name="Następna").is_visible()
    finally:
        context.close()
