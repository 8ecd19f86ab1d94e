"""The API's `ordering` by an amount sorts within each currency too, as the pages do."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import ContractFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


def test_invoices_ordered_by_gross_amount_keep_each_currency_together(api, acme):
    for number, gross, currency in [
        ("P1", "1000.00", "PLN"),
        ("E1", "2430.81", "EUR"),
        ("P2", "7658.16", "PLN"),
    ]:
        InvoiceFactory(client=acme, number=number, currency=currency, gross_total=Decimal(gross))

    ascending = api.get("/api/invoices/", {"ordering": "gross_total"}).json()["results"]
    descending = api.get("/api/invoices/", {"ordering": "-gross_total"}).json()["results"]

    assert [row["number"] for row in ascending] == ["E1", "P1", "P2"]
    assert [row["number"] for row in descending] == ["E1", "P2", "P1"]


def test_contracts_ordered_by_net_value_keep_each_currency_together(api, acme):
    values = [("PLN", "158068.38"), ("EUR", "33616.85"), ("EUR", "40526.79")]
    pln, eur_small, eur_big = (
        ContractFactory(client=acme, currency=c, net_value=Decimal(v), schedule=False).number
        for c, v in values
    )

    rows = api.get("/api/contracts/", {"ordering": "-net_value"}).json()["results"]

    assert [row["number"] for row in rows] == [eur_big, eur_small, pln]
