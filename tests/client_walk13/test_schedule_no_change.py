"""A schedule change with nothing changed ("Adjust the installment automatically", no new period, final
value or amount) shows, validates and applies the schedule as it is, to the grosz. Re-computing the
annuity from the capital left (a sum of installments rounded to grosze) used to land a grosz off:
UP/2026/01000011 previewed 7 918,54 against 7 918,55, LF/2025/01000012 20 658,35 against 20 658,34."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from backend.contracts.models import Contract
from backend.contracts.schedule import ScheduleError
from backend.requests_app.change_plans import contract_value_plan_for, schedule_change_plan_for
from tests.client_correctness.helpers import submit_and_approve
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

QUOTE = "/api/requests/schedule-quote/"
# The day the outside tester met it, with the demo contracts as seeded then.
TODAY = datetime(2026, 11, 29, 12, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
FIELDS = ("number", "due_date", "capital", "interest", "net", "vat", "gross", "capital_remaining")


@pytest.fixture(autouse=True)
def _that_day():
    with time_machine.travel(TODAY, tick=False):
        yield


def future_rows(contract: Contract) -> list[tuple]:
    """The installments a change re-plans: after the paid, overdue and invoiced ones it keeps."""
    invoiced = set(
        contract.invoices.exclude(installment_number=None).values_list("installment_number", flat=True)
    )
    kept = max(
        (
            r.number
            for r in contract.schedule_rows.all()
            if r.paid or r.due_date < TODAY.date() or r.number in invoiced
        ),
        default=0,
    )
    rows = contract.schedule_rows.filter(number__gt=kept).order_by("number")
    return [tuple(getattr(row, name) for name in FIELDS) for row in rows]


def quoted(payload: dict) -> list[tuple]:
    return [
        (
            r["number"],
            date.fromisoformat(r["due_date"]),
            *(Decimal(r[name]) for name in FIELDS[2:]),
        )
        for r in payload["installments"]
    ]


@pytest.fixture
def loan_up(acme) -> Contract:
    """The shape of the demo's UP/2026/01000011: a loan (no VAT), 36 months at 9.5 %, no final value."""
    return ContractFactory(
        client=acme,
        type=Contract.Type.LOAN,
        start_date=date(2026, 4, 1),
        net_value=Decimal("247200.00"),
        months=36,
        residual_percent=Decimal("0.00"),
        annual_rate=Decimal("9.500"),
        payment_day=15,
    )


@pytest.fixture
def lease_lf(acme) -> Contract:
    """The shape of the demo's LF/2025/01000012: installment 10 overdue and unpaid, 11-14 paid."""
    contract = ContractFactory(
        client=acme,
        type=Contract.Type.FINANCIAL_LEASE,
        start_date=date(2025, 11, 1),
        net_value=Decimal("678600.00"),
        months=36,
        residual_percent=Decimal("1.00"),
        annual_rate=Decimal("6.600"),
        payment_day=10,
    )
    contract.schedule_rows.filter(number__lte=14).update(paid=True)
    contract.schedule_rows.filter(number=10).update(paid=False)
    return contract


@pytest.mark.parametrize(
    ("shape", "first_net", "first_gross", "capital_after"),
    [
        ("loan_up", "7918.55", "7918.55", "191815.25"),
        ("lease_lf", "20658.34", "25409.76", "414697.75"),
    ],
)
def test_the_preview_with_nothing_changed_shows_the_current_installment(
    request, api_as, client_user, shape, first_net, first_gross, capital_after
):
    contract = request.getfixturevalue(shape)
    body = {"contract_id": contract.pk, "installment_option": "auto"}

    response = api_as(client_user).post(QUOTE, body, format="json")

    assert response.status_code == 200, response.json()
    first = response.json()["installments"][0]
    assert (first["net"], first["gross"], first["capital_remaining"]) == (
        first_net,
        first_gross,
        capital_after,
    )
    assert quoted(response.json()) == future_rows(contract)


def test_the_english_preview_shows_the_same_figures(api_as, client_user, loan_up):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    body = {"contract_id": loan_up.pk, "installment_option": "auto"}

    first = api_as(client_user).post(QUOTE, body, format="json").json()["installments"][0]

    assert (first["net_display"], first["capital_remaining_display"]) == ("7,918.55", "191,815.25")


def test_typing_the_current_terms_is_no_change_either(api_as, client_user, lease_lf):
    body = {"contract_id": lease_lf.pk, "installment_option": "auto", "months": 36, "residual_percent": "1"}
    assert quoted(api_as(client_user).post(QUOTE, body, format="json").json()) == future_rows(lease_lf)
    same_value = contract_value_plan_for(lease_lf, {"net_amount": "678600.00"})
    assert [tuple(getattr(r, n) for n in FIELDS) for r in same_value.installments] == future_rows(lease_lf)


def test_the_approved_request_leaves_the_schedule_as_it_was(api_as, client_user, bok_staff, lease_lf):
    before = future_rows(lease_lf)

    submit_and_approve(
        api_as,
        client_user,
        bok_staff,
        "schedule_change",
        contract=lease_lf,
        data={"installment_option": "auto"},
    )

    assert future_rows(lease_lf) == before


def test_a_changed_term_is_still_re_planned(api_as, client_user, lease_lf):
    body = {"contract_id": lease_lf.pk, "installment_option": "auto", "months": 48}
    rows = api_as(client_user).post(QUOTE, body, format="json").json()["installments"]
    assert len(rows) == 48 - 14
    assert Decimal(rows[0]["net"]) < Decimal("20658.34")


def test_every_seeded_demo_contract_keeps_its_schedule_to_the_grosz():
    call_command("seed_demo", clients=2, seed=1)
    checked = 0
    for contract in Contract.objects.prefetch_related("schedule_rows"):
        try:
            plan = schedule_change_plan_for(contract, {"installment_option": "auto"})
        except ScheduleError:  # nothing left to re-plan
            continue
        planned = [tuple(getattr(r, name) for name in FIELDS) for r in plan.installments]
        assert planned == future_rows(contract), contract.number
        checked += 1
    assert checked >= 5
