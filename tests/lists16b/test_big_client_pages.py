"""A fleet client with hundreds of contracts (an outside walk): the settlements page's per-contract table is
paginated, and the contract pickers list contracts by number."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client as PageClient

from tests.factories import ContractFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


def test_the_settlements_per_contract_table_is_paginated(client_user, acme):
    contracts = [ContractFactory(client=acme, number=f"LF/2026/{n:05d}") for n in range(30)]
    for contract in contracts:
        InvoiceFactory(client=acme, contract=contract, gross_total=Decimal("100.00"))
    pages = PageClient()
    pages.force_login(client_user)

    def contract_rows(url: str) -> list[str]:
        html = pages.get(url).content.decode()
        table = html.split('data-testid="settlement-contracts"', 1)[1].split("</table>", 1)[0]
        return re.findall(r"LF/2026/\d{5}", table)

    first, second = contract_rows("/settlements/"), contract_rows("/settlements/?page=2")
    assert len(first) == 25 and len(second) == 5
    assert sorted(first + second) == sorted(c.number for c in contracts)
    # the totals above still count every contract
    assert "3 000,00" in pages.get("/settlements/").content.decode().replace("\xa0", " ")


def test_contract_pickers_list_contracts_by_number(client_user, acme):
    today = date(2026, 11, 30)
    ContractFactory(client=acme, number="LF/2026/00003", start_date=today - timedelta(days=10))
    ContractFactory(client=acme, number="LF/2026/00001", start_date=today - timedelta(days=5))
    ContractFactory(client=acme, number="LF/2026/00002", start_date=today - timedelta(days=400))
    pages = PageClient()
    pages.force_login(client_user)
    html = pages.get("/invoices/").content.decode()
    picker = html.split('name="contract"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"LF/2026/0000\d", picker) == ["LF/2026/00001", "LF/2026/00002", "LF/2026/00003"]
