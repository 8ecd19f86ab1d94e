"""A payment day change approved late in the month: an installment still to pay this month never moves to a
day already past (it would be overdue the moment the change is approved)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from backend.contracts.models import ScheduleRow
from backend.contracts.schedule import is_overdue
from backend.contracts.services import change_payment_day
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(
    ("today", "old_day", "new_day"),
    [(date(2027, 1, 25), 28, 20), (date(2026, 12, 24), 28, 15), (date(2028, 2, 27), 28, 1)],
)
def test_an_installment_of_this_month_never_moves_to_a_past_day(today, old_day, new_day):
    with time_machine.travel(datetime(today.year, today.month, today.day, 12, tzinfo=WARSAW), tick=False):
        contract = ContractFactory(months=36, payment_day=old_day)
        this_month = contract.schedule_rows.get(due_date=today.replace(day=old_day))
        assert not this_month.paid

        moved = change_payment_day(contract, payment_day=new_day)

        rows = list(ScheduleRow.objects.filter(contract=contract).order_by("number"))
        assert not [r.number for r in rows if is_overdue(due_date=r.due_date, paid=r.paid, today=today)]
        # this month's installment keeps its date; the change applies from the next one
        assert next(r for r in rows if r.pk == this_month.pk).due_date == today.replace(day=old_day)
        first_number, first_date = moved[0]
        assert first_number == this_month.number + 1
        assert first_date.day == new_day and first_date > today
        assert all(r.due_date.day == new_day for r in rows if r.number > this_month.number)
