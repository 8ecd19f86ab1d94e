"""Buyout / early termination quote (wykup, wcześniejsze zakończenie umowy): pure arithmetic from the schedule.

For an effective date E the quote settles the contract on E:

- base installment: the last installment due on or before E (the client pays it as scheduled; unpaid
  installments due by E are arrears, shown beside the quote but not part of it);
- capital remaining: the capital the installments after E would have repaid (the balance they start from,
  which an approved value change raises above the base installment's printed balance, minus the residual
  value; the financed amount minus the residual before the first installment);
- residual value: the contract's final (balloon) value, bought out on E as well;
- interest to E: on the whole outstanding capital (capital remaining + residual, the amount the schedule
  charges interest on) from the base installment's due date (before the first installment: one month
  before its due date) to E, by the 30E/360 day count at the schedule's own monthly rate (annual / 12),
  so a whole period gives exactly the schedule's interest of the next installment;
- fee: the early termination fee, `fee_percent` of the capital remaining (the capital repaid early);
- VAT: the contract's VAT rate (23% for leases, 0 for loans: a financial service) on the whole net
  amount: capital remaining + residual value + interest + fee, as the schedule taxes capital + interest;
- total = capital remaining + residual value + interest + fee + VAT.

Every figure is Decimal rounded half-up to grosze; the quote is valid for VALID_DAYS from the day it is
given but never past E.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _

from backend.contracts.schedule import ScheduleError, due_date_for
from backend.core.language import active_lang
from backend.core.money import format_date, to_money

VALID_DAYS = 14
DEFAULT_FEE_PERCENT = Decimal("2.00")
ZERO = Decimal("0.00")


class BuyoutError(ScheduleError):
    """An effective date or contract the quote cannot be given for; the message says why."""


class ScheduleLine(Protocol):
    number: int
    due_date: date
    capital: Decimal
    interest: Decimal
    capital_remaining: Decimal
    gross: Decimal
    paid: bool


@dataclass(frozen=True)
class QuoteFigures:
    effective_date: date
    valid_until: date
    base_installment: int  # 0: before the first installment
    interest_from: date
    interest_days: int
    capital_remaining: Decimal
    residual_value: Decimal
    interest: Decimal
    fee: Decimal
    net_total: Decimal
    vat_rate: Decimal
    vat: Decimal
    total: Decimal
    unpaid_due: Decimal  # gross of unpaid installments due on or before E: arrears, not in the total


def days_30e_360(start: date, end: date) -> int:
    """Days between two dates by the 30E/360 (Eurobond) convention: every month counts 30 days."""
    d1, d2 = min(start.day, 30), min(end.day, 30)
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def accrued_interest(capital: Decimal, annual_rate_percent: Decimal, start: date, end: date) -> Decimal:
    """Interest on `capital` from `start` to `end` (30E/360) at the schedule's monthly rate.

    Written as the schedule writes it (capital × annual / 1200) times days / 30, so a whole month
    (30 days) gives exactly the schedule's installment interest.
    """
    days = days_30e_360(start, end)
    if days <= 0:
        return ZERO
    monthly = Decimal(capital) * (Decimal(annual_rate_percent) / Decimal(1200))
    return to_money(monthly * (Decimal(days) / Decimal(30)))


def period_start_before(first_due: date) -> date:
    """The start of the first installment's interest period: one month before its due date."""
    return due_date_for(
        first_month=date(first_due.year, first_due.month, 1), offset=-1, payment_day=first_due.day
    )


def compute_quote(
    *,
    rows: Sequence[ScheduleLine],
    financed_amount: Decimal,
    residual_value: Decimal,
    annual_rate_percent: Decimal,
    vat_rate: Decimal,
    fee_percent: Decimal,
    effective_date: date,
    today: date,
    valid_days: int = VALID_DAYS,
) -> QuoteFigures:
    """Return the quote for `effective_date`; raise BuyoutError for a date it cannot be given for."""
    rows = sorted(rows, key=lambda r: r.number)
    if not rows:
        raise BuyoutError(_("The contract has no schedule."))
    if effective_date < today:
        raise BuyoutError(_("The effective date cannot be in the past."))
    if effective_date > rows[-1].due_date:
        # The limit is the last installment's date, which falls on the payment day before the contract's
        # end date: name it, as the page's hint does.
        raise BuyoutError(
            _("The effective date cannot be after the last installment's date, %(date)s.")
            % {"date": format_date(rows[-1].due_date, lang=active_lang())}
        )
    if any(r.paid and r.due_date > effective_date for r in rows):
        raise BuyoutError(_("An installment due after this date is already paid: choose a later date."))
    due = [r for r in rows if r.due_date <= effective_date]
    residual = to_money(residual_value)
    if due:
        base = due[-1]
        # What the later installments repay plus the final balance: the base row's own balance unless a
        # value change re-planned them from a higher one (contracts.selectors.balance_changes).
        later = sum((r.capital for r in rows if r.number > base.number), ZERO)
        outstanding = later + rows[-1].capital_remaining
        interest_from, base_number = base.due_date, base.number
    else:
        outstanding, interest_from, base_number = (
            to_money(financed_amount),
            period_start_before(rows[0].due_date),
            0,
        )
    capital = outstanding - residual
    interest = accrued_interest(outstanding, annual_rate_percent, interest_from, effective_date)
    fee = to_money(capital * Decimal(fee_percent) / Decimal(100))
    net_total = capital + residual + interest + fee
    vat = to_money(net_total * Decimal(vat_rate))
    return QuoteFigures(
        effective_date=effective_date,
        valid_until=min(today + timedelta(days=valid_days), effective_date),
        base_installment=base_number,
        interest_from=interest_from,
        interest_days=max(days_30e_360(interest_from, effective_date), 0),
        capital_remaining=capital,
        residual_value=residual,
        interest=interest,
        fee=fee,
        net_total=net_total,
        vat_rate=Decimal(vat_rate),
        vat=vat,
        total=net_total + vat,
        unpaid_due=sum((r.gross for r in due if not r.paid), ZERO),
    )
