"""Sorting a client list by an amount sorts within each currency: currencies in the order of the lists'
per-currency totals (by code), then the amount, either way; 2 430,81 EUR is never compared with
7 658,16 zł as a number. The header's accessible label says so; pages stay stable (primary key last)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from backend.contracts.selectors import list_contracts_for_client
from tests.factories import ContractFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_client(client, client_user):
    client.force_login(client_user)
    return client


def order_on_page(body: str, numbers: list[str]) -> list[str]:
    """The numbers in the order the page lists them (each appears first in its own row)."""
    return sorted(numbers, key=body.index)


def invoice(acme, number: str, gross: str, currency: str):
    gross_total = Decimal(gross)
    return InvoiceFactory(
        client=acme,
        number=number,
        currency=currency,
        net_total=gross_total,
        vat_total=Decimal("0.00"),
        gross_total=gross_total,
    )


@pytest.fixture
def invoices(acme):
    invoice(acme, "FV/PLN/1", "1000.00", "PLN")
    invoice(acme, "FV/EUR/1", "2430.81", "EUR")
    invoice(acme, "FV/PLN/2", "7658.16", "PLN")
    invoice(acme, "FV/CHF/1", "3000.00", "CHF")
    return ["FV/PLN/1", "FV/EUR/1", "FV/PLN/2", "FV/CHF/1"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("gross_total", ["FV/CHF/1", "FV/EUR/1", "FV/PLN/1", "FV/PLN/2"]),
        ("-gross_total", ["FV/CHF/1", "FV/EUR/1", "FV/PLN/2", "FV/PLN/1"]),
        ("remaining", ["FV/CHF/1", "FV/EUR/1", "FV/PLN/1", "FV/PLN/2"]),
        ("-remaining", ["FV/CHF/1", "FV/EUR/1", "FV/PLN/2", "FV/PLN/1"]),
    ],
)
def test_invoices_sort_by_amount_within_each_currency(as_client, invoices, sort, expected):
    body = as_client.get(reverse("invoices"), {"sort": sort}).content.decode()

    assert order_on_page(body, invoices) == expected


def test_the_amount_headers_say_they_sort_within_the_currency(as_client, invoices, contracts):
    body = as_client.get(reverse("invoices")).content.decode()

    assert body.count("kwoty sortowane w obrębie waluty") == 2  # gross and remaining, not the dates
    contracts = as_client.get(reverse("contracts")).content.decode()
    assert contracts.count("kwoty sortowane w obrębie waluty") == 2  # net value, capital remaining


@pytest.fixture
def contracts(acme):
    values = [("PLN", "158068.38"), ("EUR", "33616.85"), ("EUR", "40526.79"), ("CHF", "50000.00")]
    return [
        ContractFactory(client=acme, currency=currency, net_value=Decimal(net)).number
        for currency, net in values
    ]


@pytest.mark.parametrize("field", ["net_value", "capital_remaining"])
@pytest.mark.parametrize("descending", [False, True])
def test_contracts_sort_by_amount_within_each_currency(as_client, acme, contracts, field, descending):
    # given the order expected: currency by code, then the amount in the direction asked
    rows = list(list_contracts_for_client(client=acme))
    by_currency: dict[str, list] = {}
    for row in sorted(rows, key=lambda row: getattr(row, field), reverse=descending):
        by_currency.setdefault(row.currency, []).append(row.number)
    expected = [number for currency in sorted(by_currency) for number in by_currency[currency]]

    # when
    sort = f"-{field}" if descending else field
    body = as_client.get(reverse("contracts"), {"sort": sort}).content.decode()

    # then
    assert order_on_page(body, contracts) == expected
    assert expected[:3] == [contracts[3], *(contracts[2:0:-1] if descending else contracts[1:3])]


def test_pages_of_equal_amounts_in_several_currencies_neither_repeat_nor_skip(as_client, acme):
    numbers = [invoice(acme, f"FV/EQ/{n:02d}", "100.00", ("PLN", "EUR")[n % 2]).number for n in range(30)]

    for sort in ("gross_total", "-gross_total"):
        first = as_client.get(reverse("invoices"), {"sort": sort}).content.decode()
        second = as_client.get(reverse("invoices"), {"sort": sort, "page": 2}).content.decode()
        seen = [n for n in numbers if n in first] + [n for n in numbers if n in second]
        assert sorted(seen) == sorted(numbers)
