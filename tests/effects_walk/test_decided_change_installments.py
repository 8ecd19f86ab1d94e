"""A decided contract change shows the client both installments: the previous one (kept at submit) and the
new one the approval set, which is the annex's "Nowa rata netto" (kept by the approval, not recomputed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.contracts.models import Contract
from backend.core.money import format_money
from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import approve, decision_text, page_text, submit, submit_value_change

pytestmark = pytest.mark.django_db


def first_unpaid(contract: Contract):
    return next(row for row in contract.schedule_rows.order_by("number") if not row.paid)


def test_an_approved_value_change_shows_the_previous_and_the_new_installment(
    api_as, client_user, bok_staff, acme_contract
):
    before = first_unpaid(acme_contract)
    submitted = submit_value_change(api_as(client_user), acme_contract, "130000.00")
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]

    # when staff approve
    assert approve(api_as(bok_staff), request_id).status_code == 200

    # then the client's request page names both installments, the new one as the annex states it
    after = Contract.objects.get(pk=acme_contract.pk).schedule_rows.get(number=before.number)
    assert after.net != before.net
    assert f"Nowa rata netto: {format_money(after.net)}." in decision_text(request_id)
    page = PageClient()
    page.force_login(client_user)
    text = page_text(page, reverse("request-page", args=[request_id]))
    assert f"Poprzednia rata netto (nr {before.number}) {format_money(before.net)}" in text
    assert f"Nowa rata netto (nr {before.number}) {format_money(after.net)}" in text
    kept = PortalRequest.objects.get(pk=request_id).form_data["approved_values"]
    assert kept == {"net_installment": {"number": before.number, "net": str(after.net)}}


def test_a_later_change_does_not_rewrite_the_new_installment_of_a_decided_one(
    api_as, client_user, bok_staff, acme_contract
):
    first = submit_value_change(api_as(client_user), acme_contract, "130000.00").json()["id"]
    assert approve(api_as(bok_staff), first).status_code == 200
    number = first_unpaid(acme_contract).number
    approved_net = Contract.objects.get(pk=acme_contract.pk).schedule_rows.get(number=number).net

    # when a schedule change re-plans the installments again
    second = submit(
        api_as(client_user),
        "schedule_change",
        acme_contract,
        {"months": 48, "installment_option": "auto", "net_installments": []},
    )
    assert second.status_code == 201, second.json()
    assert approve(api_as(bok_staff), second.json()["id"]).status_code == 200

    # then the first request still shows the installment its approval set
    page = PageClient()
    page.force_login(client_user)
    text = page_text(page, reverse("request-page", args=[first]))
    assert f"Nowa rata netto (nr {number}) {format_money(approved_net)}" in text
    assert (
        Decimal(str(approved_net))
        != Contract.objects.get(pk=acme_contract.pk).schedule_rows.get(number=number).net
    )
