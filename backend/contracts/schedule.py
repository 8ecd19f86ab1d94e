"""Repayment schedule arithmetic: pure Python, Decimal money rounded half-up to grosze.

An annuity with a balloon: equal net installments repay the financed amount down to the residual
(final) value, which stays as capital remaining after the last installment. The last installment
absorbs every rounding difference, so capital parts sum exactly to financed amount minus residual.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from backend.core.money import to_money

DEFAULT_VAT_RATE = Decimal("0.23")
ONE = Decimal(1)


class ScheduleError(ValueError):
    """An impossible combination of schedule parameters; the message says which."""


@dataclass(frozen=True)
class Installment:
    number: int
    due_date: date
    capital: Decimal
    interest: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    capital_remaining: Decimal


def residual_from_percent(net_value: Decimal, percent: Decimal) -> Decimal:
    return to_money(Decimal(net_value) * Decimal(percent) / Decimal(100))


@lru_cache(maxsize=4096)
def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def due_date_for(*, first_month: date, offset: int, payment_day: int) -> date:
    """Return the payment day in the month `offset` months after `first_month` (clamped to month end)."""
    month_index = first_month.month - 1 + offset
    year, month = first_month.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(payment_day, _days_in_month(year, month)))


def annuity_net_installment(
    *, financed_amount: Decimal, residual_value: Decimal, annual_rate_percent: Decimal, months: int
) -> Decimal:
    """Return the level net installment that repays `financed_amount` down to `residual_value`."""
    rate = Decimal(annual_rate_percent) / Decimal(1200)
    if rate == 0:
        return to_money((financed_amount - residual_value) / months)
    discount = (ONE + rate) ** -months
    return to_money((financed_amount - residual_value * discount) * rate / (ONE - discount))


def _validate(
    financed_amount: Decimal,
    residual_value: Decimal,
    months: int,
    payment_day: int,
    annual_rate_percent: Decimal = Decimal(0),
    vat_rate: Decimal = DEFAULT_VAT_RATE,
) -> None:
    if months < 1:
        raise ScheduleError("The period must be at least one month.")
    if months > 120:
        raise ScheduleError("The period cannot exceed 120 months.")
    if financed_amount <= 0:
        raise ScheduleError("The financed amount must be positive.")
    if residual_value < 0 or residual_value >= financed_amount:
        raise ScheduleError("The final value must be at least zero and below the financed amount.")
    if not 1 <= payment_day <= 28:
        raise ScheduleError("The payment day must be between 1 and 28.")
    if not 0 <= Decimal(annual_rate_percent) <= 100:
        raise ScheduleError("The interest rate must be between 0% and 100% a year.")
    if not 0 <= Decimal(vat_rate) < 1:
        raise ScheduleError("The VAT rate must be at least 0 and below 100%.")


def compute_schedule(
    *,
    financed_amount: Decimal,
    residual_value: Decimal,
    annual_rate_percent: Decimal,
    months: int,
    payment_day: int,
    first_month: date,
    vat_rate: Decimal = DEFAULT_VAT_RATE,
    first_number: int = 1,
    net_installments: list[Decimal] | None = None,
) -> list[Installment]:
    """Return the schedule rows.

    `net_installments`, when given, fixes the net amount of each installment but the last (the
    "change the amount" option); the last one then repays what remains down to the residual.
    """
    financed_amount, residual_value = to_money(financed_amount), to_money(residual_value)
    _validate(financed_amount, residual_value, months, payment_day, annual_rate_percent, vat_rate)
    rate = Decimal(annual_rate_percent) / Decimal(1200)
    if net_installments is not None and len(net_installments) not in {months - 1, months}:
        raise ScheduleError("Give a net amount for each installment.")
    level = annuity_net_installment(
        financed_amount=financed_amount,
        residual_value=residual_value,
        annual_rate_percent=annual_rate_percent,
        months=months,
    )
    remaining = financed_amount
    rows: list[Installment] = []
    for index in range(months):
        interest = to_money(remaining * rate)
        is_last = index == months - 1
        if is_last:
            capital = remaining - residual_value
            net = capital + interest
        else:
            net = to_money(net_installments[index]) if net_installments is not None else level
            capital = net - interest
            if capital < 0:
                raise ScheduleError("An installment is lower than its interest: the debt would grow.")
            if remaining - capital < residual_value:
                raise ScheduleError("The installments repay more than the financed amount.")
        remaining = remaining - capital
        vat = to_money(net * vat_rate)
        rows.append(
            Installment(
                number=first_number + index,
                due_date=due_date_for(first_month=first_month, offset=index, payment_day=payment_day),
                capital=capital,
                interest=interest,
                net=net,
                vat=vat,
                gross=net + vat,
                capital_remaining=remaining,
            )
        )
    return rows


def is_overdue(*, due_date: date, paid: bool, today: date) -> bool:
    """An installment not paid by its due date is overdue (owed), as its invoice is on the settlements;
    one due today can still be paid on time."""
    return not paid and due_date < today


def kept_installment_count(rows: Iterable[tuple[date, bool, bool]], *, today: date) -> int:
    """Return how many leading installments a contract change keeps as they are; it re-plans (or, a
    payment day change, moves) the rest.

    `rows` are the schedule's (due date, paid, invoiced) in installment order. Kept is every installment up
    to the last one that is paid (one paid ahead of its date is settled at its amount), overdue (due before
    today: unpaid, it stays owed as invoiced rather than being spread over later installments) or invoiced
    (its invoice states the amount and the due date, which a change would contradict). One due today and
    not invoiced can still be paid on time, so it is re-planned, as the payment day change moves it.
    """
    kept = 0
    for position, (due_date, paid, invoiced) in enumerate(rows, start=1):
        if paid or invoiced or is_overdue(due_date=due_date, paid=paid, today=today):
            kept = position
    return kept


def move_due_dates(due_dates: list[date], *, payment_day: int) -> list[date]:
    """Return the same months with the new payment day (used by the payment day change)."""
    if not 1 <= payment_day <= 28:
        raise ScheduleError("The payment day must be between 1 and 28.")
    return [date(d.year, d.month, min(payment_day, _days_in_month(d.year, d.month))) for d in due_dates]
