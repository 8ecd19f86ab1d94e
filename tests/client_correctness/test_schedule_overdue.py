"""A schedule change on a contract with an overdue unpaid installment and one paid ahead of its date (the
demo's LF/2025/01000012: installment 10 unpaid, 11–14 paid): only the installments still to come are
re-planned, the overdue one stays owed as it is, and preview, submit and approval agree."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from backend.contracts.models import Contract, ScheduleRow
from backend.requests_app.change_plans import contract_value_plan_for, schedule_change_plan_for
from tests.client_correctness.helpers import submit_and_approve
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db

QUOTE = "/api/requests/schedule-quote/"


def row_values(row: ScheduleRow) -> tuple:
    return (row.number, row.due_date, row.capital, row.net, row.gross, row.capital_remaining, row.paid)


@pytest.fixture
def contract(acme) -> Contract:
    """36 months from about seven months ago: an earlier installment is unpaid, the next one paid ahead."""
    contract = ContractFactory(
        client=acme, net_value=Decimal("412345.67"), months=36, residual_percent=Decimal("1.00")
    )
    today = timezone.localdate()
    past = list(contract.schedule_rows.filter(due_date__lt=today).order_by("number"))
    assert len(past) >= 4
    past[-3].paid = False  # overdue and still owed
    past[-3].save()
    ahead = contract.schedule_rows.filter(due_date__gte=today).order_by("number").first()
    ahead.paid = True  # paid before its due date
    ahead.save()
    return contract


def last_kept(contract: Contract) -> ScheduleRow:
    return contract.schedule_rows.filter(paid=True).order_by("-number").first()


def test_the_preview_replans_only_the_installments_still_to_come(api_as, client_user, contract):
    kept = last_kept(contract)
    end = contract.schedule_rows.order_by("-number").first()
    current_net = contract.schedule_rows.get(number=kept.number + 1).net
    body = {"contract_id": contract.pk, "installment_option": "auto", "residual_percent": "10"}

    response = api_as(client_user).post(QUOTE, body, format="json")

    assert response.status_code == 200, response.json()
    rows = response.json()["installments"]
    # from the installment after the one paid ahead, none already due, to the same last installment
    assert [r["number"] for r in rows] == list(range(kept.number + 1, contract.months + 1))
    assert all(r["due_date"] > timezone.localdate().isoformat() for r in rows)
    assert rows[-1]["due_date"] == end.due_date.isoformat()
    assert response.json()["months"] == contract.months
    # the capital spread is what remains after the kept installments, the overdue one's included
    assert Decimal(rows[0]["capital"]) + Decimal(rows[0]["capital_remaining"]) == kept.capital_remaining
    # a higher final value lowers the installment
    assert Decimal(rows[0]["net"]) < current_net


def test_unchanged_terms_keep_the_installment(api_as, client_user, contract):
    kept = last_kept(contract)
    current = contract.schedule_rows.get(number=kept.number + 1)
    body = {"contract_id": contract.pk, "installment_option": "auto", "months": contract.months}

    rows = api_as(client_user).post(QUOTE, body, format="json").json()["installments"]

    # re-planning the same capital over the same installments gives the same one, up to rounding
    assert abs(Decimal(rows[0]["net"]) - current.net) <= Decimal("0.02")
    assert rows[0]["due_date"] == current.due_date.isoformat()


def test_the_approved_change_keeps_the_overdue_installment_owed(api_as, client_user, bok_staff, contract):
    data = {"residual_percent": "10", "installment_option": "auto"}
    api = api_as(client_user)
    quoted = api.post(QUOTE, {"contract_id": contract.pk, **data}, format="json").json()["installments"]
    kept_before = [
        row_values(r) for r in contract.schedule_rows.filter(number__lte=last_kept(contract).number)
    ]
    end_date = contract.end_date  # the period stays: so does the end (not the last installment's date)

    submit_and_approve(api_as, client_user, bok_staff, "schedule_change", contract=contract, data=data)

    contract.refresh_from_db()
    kept_number = len(kept_before)
    assert [row_values(r) for r in contract.schedule_rows.filter(number__lte=kept_number)] == kept_before
    assert any(not row[-1] for row in kept_before)  # the overdue installment is still there, unpaid
    applied = contract.schedule_rows.filter(number__gt=kept_number).order_by("number")
    assert [(r.number, r.due_date.isoformat(), str(r.net)) for r in applied] == [
        (r["number"], r["due_date"], r["net"]) for r in quoted
    ]
    assert contract.schedule_rows.count() == contract.months
    assert contract.end_date == end_date


def test_the_contract_value_change_replans_the_same_installments(contract):
    kept = last_kept(contract)
    plan = contract_value_plan_for(contract, {"net_amount": "400000.00"})
    assert plan.installments[0].number == kept.number + 1
    assert plan.installments[-1].number == contract.months
    lowered = contract.net_value - Decimal("400000.00")
    assert (
        plan.installments[0].capital + plan.installments[0].capital_remaining
        == kept.capital_remaining - lowered
    )


def test_a_period_within_the_kept_installments_is_refused(api_as, client_user, contract):
    kept = last_kept(contract).number
    body = {"contract_id": contract.pk, "installment_option": "auto", "months": kept}
    response = api_as(client_user).post(QUOTE, body, format="json")
    assert response.status_code == 400
    assert f"już zapłaconych, wymagalnych lub zafakturowanych ({kept})" in response.json()["message"]


def test_the_form_needs_one_amount_per_installment_of_the_new_period(client, api_as, client_user, contract):
    kept = last_kept(contract).number
    page = logged_in(client, client_user).get("/requests/new/schedule_change/").content.decode()
    # the count of amounts the fill button writes: the new period minus these (request_form.js)
    assert f'data-months="36" data-kept-installments="{kept}"' in page
    level = schedule_change_plan_for(contract, {"months": 48}).installments[0].net
    body = {
        "contract_id": contract.pk,
        "installment_option": "amount",
        "months": 48,
        "net_installments": [str(level)] * (48 - kept),
    }
    response = api_as(client_user).post(QUOTE, body, format="json")
    assert response.status_code == 200, response.json()
    assert len(response.json()["installments"]) == 48 - kept
    too_many = {**body, "net_installments": [str(level)] * (48 - kept + 1)}
    refused = api_as(client_user).post(QUOTE, too_many, format="json")
    assert refused.status_code == 400
    assert f"Podaj {48 - kept} kwot" in refused.json()["message"]
