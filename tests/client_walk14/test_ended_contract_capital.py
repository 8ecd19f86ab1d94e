"""A contract that has ended (closed or terminated) has no capital left to repay: 0 in the contracts list
and detail, page and API; an active contract's figure stays the schedule's final balance plus the capital
of its unpaid installments."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from backend.contracts.models import Contract, ScheduleRow
from tests.client_correctness.helpers import visible_text
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [Contract.Status.CLOSED, Contract.Status.TERMINATED])
def test_an_ended_contract_shows_no_capital_remaining(api_as, client, client_user, acme, status):
    contract = ContractFactory(client=acme, number="UL/2020/000777", residual_percent=Decimal("20.00"))
    ScheduleRow.objects.filter(contract=contract).update(paid=True)
    Contract.objects.filter(pk=contract.pk).update(status=status)
    api = api_as(client_user)

    listed = {row["number"]: row for row in api.get("/api/contracts/").json()["results"]}
    detail = api.get(f"/api/contracts/{contract.pk}/").json()
    page = visible_text(
        logged_in(client, client_user).get(reverse("contract-page", args=[contract.pk])).content.decode()
    )
    rows = visible_text(client.get(reverse("contracts")).content.decode())

    assert listed[contract.number]["capital_remaining"] == "0.00"
    assert detail["capital_remaining"] == "0.00"
    assert detail["residual_value"] == "24000.00"  # still shown as a term of the contract
    assert re.search(r"Kapitał pozostały do spłaty\s+0,00\u00a0zł", page)
    assert "24\u00a0000,00\u00a0zł" not in rows  # the list shows 0,00 zł, not the residual value


def test_an_active_contracts_capital_remaining_is_unchanged(api_as, client_user, acme, acme_contract):
    rows = ScheduleRow.objects.filter(contract=acme_contract)
    final = rows.order_by("-number").first().capital_remaining
    unpaid = rows.filter(paid=False).aggregate(total=Sum("capital"))["total"]

    detail = api_as(client_user).get(f"/api/contracts/{acme_contract.pk}/").json()

    assert Decimal(detail["capital_remaining"]) == final + unpaid > final
