"""A foreign-currency invoice's page names the NBP table of its rate, readably on a desktop and a phone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import InvoiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENT = "Kurs średni NBP z dnia 27.11.2026 (tabela 231/A/NBP/2026): 1 EUR = 4,2512 zł"


@pytest.fixture
def eur_invoice(acme):
    return InvoiceFactory(
        client=acme,
        currency="EUR",
        exchange_rate=Decimal("4.2512"),
        issue_date=date(2026, 11, 30),
        exchange_rate_date=date(2026, 11, 27),
        exchange_rate_table="231/A/NBP/2026",
    )


def test_the_rate_and_its_table_take_two_columns_on_a_desktop(page, login, client_user, eur_invoice):
    # given
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, client_user)

    # when
    page.goto(f"/invoices/{eur_invoice.pk}/")
    page.screenshot(path="/tmp/invoice-rate-table-desktop.png", full_page=True)

    # then: the sentence is not squeezed into one narrow column of the invoice data
    rate = page.get_by_test_id("invoice-rate")
    assert rate.inner_text() == STATEMENT
    currency = page.locator(".data-list > div", has_text="Waluta").first
    assert rate.bounding_box()["width"] > 1.8 * currency.bounding_box()["width"]
    assert rate.bounding_box()["height"] < 3 * currency.bounding_box()["height"]


def test_the_rate_and_its_table_fit_a_phone(browser, live_server, login, client_user, eur_invoice):
    # given
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812})
    phone = context.new_page()
    login(phone, client_user)

    # when
    phone.goto(f"/invoices/{eur_invoice.pk}/")
    phone.screenshot(path="/tmp/invoice-rate-table-phone.png", full_page=True)

    # then the page never scrolls sideways
    assert phone.get_by_test_id("invoice-rate").inner_text() == STATEMENT
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
