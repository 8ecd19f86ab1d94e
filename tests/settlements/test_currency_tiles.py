"""The settlement tiles are per currency, and so are the lists they open: "Zapłacone EUR" lists the EUR
payments only, "Należności EUR" the EUR invoices only (`?currency=`, like the invoice list's filter)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import timezone

from backend.invoices.services import record_payment
from tests.factories import ContractFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client_user, acme):
    contract = ContractFactory(client=acme)
    today = timezone.localdate()
    for currency, number, gross in (("PLN", "FV/PLN/1", "1230.00"), ("EUR", "FV/EUR/1", "500.00")):
        invoice = InvoiceFactory(
            client=acme, contract=contract, number=number, currency=currency, gross_total=Decimal(gross)
        )
        record_payment(invoice=invoice, amount=Decimal("100.00"), paid_on=today)
    page = PageClient()
    page.force_login(client_user)
    return page


def visible_text(html: str) -> str:
    """The page with the numbers' line-break hints (<wbr>) taken out: "FV/EUR/1" whole."""
    return html.replace("<wbr>", "")


def tile_links(html: str) -> set[str]:
    return {
        link.replace("&amp;", "&") for link in re.findall(r'class="summary-tile[^"]*" href="([^"]+)"', html)
    }


def test_each_tile_opens_the_rows_of_its_own_currency(page):
    html = page.get(reverse("settlements")).content.decode()

    links = tile_links(html)

    for currency in ("PLN", "EUR"):
        for figure in ("due", "overdue", "paid", "compensations"):
            assert f"/settlements/{figure}/?currency={currency}" in links, links


@pytest.mark.parametrize(
    ("figure", "eur", "pln"), [("paid", "FV/EUR/1", "FV/PLN/1"), ("due", "FV/EUR/1", "FV/PLN/1")]
)
def test_the_eur_list_holds_eur_rows_only_and_says_so(page, figure, eur, pln):
    response = page.get(reverse("settlement-page", args=[figure]), {"currency": "EUR"})
    html = response.content.decode()
    text = visible_text(html)

    assert response.status_code == 200
    assert eur in text and pln not in text
    assert "Tylko kwoty w EUR" in text
    assert 'href="?">Pokaż wszystkie waluty' in html
    # and without the filter both are listed
    everything = visible_text(page.get(reverse("settlement-page", args=[figure])).content.decode())
    assert eur in everything and pln in everything


def test_an_unknown_currency_filters_nothing(page):
    text = visible_text(
        page.get(reverse("settlement-page", args=["paid"]), {"currency": "XYZ"}).content.decode()
    )

    assert "FV/EUR/1" in text and "FV/PLN/1" in text
    assert "Tylko kwoty w" not in text


def test_the_api_filters_the_rows_by_currency_as_the_page_does(api_as, client_user, page):
    # given the page's data (the fixture): a PLN and an EUR invoice, each with a payment
    api = api_as(client_user)

    # when
    eur = api.get("/api/settlements/paid/", {"currency": "EUR"})
    bad = api.get("/api/settlements/paid/", {"currency": "XYZ"})

    # then
    assert eur.status_code == 200
    assert {row["currency"] for row in eur.json()["results"]} == {"EUR"}
    assert bad.status_code == 400
