"""Moving a contract's payment day (backend/contracts/services.change_payment_day): what moves, and that
the statements do not grow with the schedule's length (the approve step of a payment day change)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.contracts.models import ScheduleRow
from backend.contracts.services import change_payment_day
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def statements_to_move(months: int) -> tuple[int, int]:
    contract = ContractFactory(months=months, payment_day=10)
    with CaptureQueriesContext(connection) as queries:
        moved = change_payment_day(contract, payment_day=20)
    return len(moved), len(queries.captured_queries)


def test_future_unpaid_installments_move_and_paid_or_overdue_ones_keep_their_dates():
    contract = ContractFactory(months=36, payment_day=10)
    today = timezone.localdate()
    overdue = contract.schedule_rows.filter(due_date__gte=today).order_by("number").first()
    overdue.due_date = today - timedelta(days=3)
    overdue.save(update_fields=["due_date"])
    before = {row.pk: (row.due_date, row.paid, row.net) for row in contract.schedule_rows.all()}

    moved = len(change_payment_day(contract, payment_day=20))

    after = {row.pk: row for row in ScheduleRow.objects.filter(contract=contract)}
    future_unpaid = [pk for pk, (due, paid, _net) in before.items() if not paid and due >= today]
    assert moved == len(future_unpaid) > 0
    for pk, (due, paid, net) in before.items():
        row = after[pk]
        assert row.net == net  # amounts never change with the day
        if pk in future_unpaid:
            assert row.due_date.day == 20 and row.due_date.strftime("%Y-%m") == due.strftime("%Y-%m")
        else:
            assert row.due_date == due
    contract.refresh_from_db()
    assert contract.payment_day == 20


def test_the_statements_do_not_grow_with_the_number_of_installments():
    short_moved, short_statements = statements_to_move(24)
    long_moved, long_statements = statements_to_move(120)

    assert long_moved > short_moved + 50
    assert long_statements == short_statements
