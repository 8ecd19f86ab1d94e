"""Property tests of the buyout quote arithmetic (backend/contracts/buyout.py): pure Python, no database."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backend.contracts.buyout import (
    BuyoutError,
    accrued_interest,
    compute_quote,
    days_30e_360,
    period_start_before,
)
from backend.contracts.schedule import compute_schedule, residual_from_percent
from backend.core.money import to_money

amounts = st.decimals(min_value=Decimal("1000.00"), max_value=Decimal("5000000.00"), places=2)
percents = st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("25"), places=3)
periods = st.integers(min_value=1, max_value=120)
days = st.integers(min_value=1, max_value=28)
months_start = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 1)).map(
    lambda d: d.replace(day=1)
)
vat_rates = st.sampled_from([Decimal("0.23"), Decimal("0")])
fees = st.decimals(min_value=Decimal("0"), max_value=Decimal("10"), places=2)


@dataclass(frozen=True)
class Row:
    number: int
    due_date: date
    capital: Decimal
    interest: Decimal
    net: Decimal
    gross: Decimal
    capital_remaining: Decimal
    paid: bool = False


def rows_for(financed, percent, rate, months, day, first_month, vat_rate=Decimal("0.23")):
    installments = compute_schedule(
        financed_amount=financed,
        residual_value=residual_from_percent(financed, percent),
        annual_rate_percent=rate,
        months=months,
        payment_day=day,
        first_month=first_month,
        vat_rate=vat_rate,
    )
    return [
        Row(i.number, i.due_date, i.capital, i.interest, i.net, i.gross, i.capital_remaining)
        for i in installments
    ]


def quote(
    rows, financed, percent, rate, effective, *, vat_rate=Decimal("0.23"), fee=Decimal("2"), today=None
):
    return compute_quote(
        rows=rows,
        financed_amount=financed,
        residual_value=residual_from_percent(financed, percent),
        annual_rate_percent=rate,
        vat_rate=vat_rate,
        fee_percent=fee,
        effective_date=effective,
        today=today or rows[0].due_date - timedelta(days=40),
    )


contracts = st.tuples(amounts, percents, rates, periods, days, months_start)


@settings(max_examples=200, deadline=None)
@given(contracts, st.data(), vat_rates, fees)
@example(
    (Decimal("1000.00"), Decimal("50"), Decimal("25"), 120, 28, date(2035, 12, 1)),
    None,
    Decimal("0.23"),
    Decimal("10"),
)
def test_quote_is_the_sum_of_its_parts_to_the_grosz(contract, data, vat_rate, fee):
    financed, percent, rate, months, day, first_month = contract
    rows = rows_for(financed, percent, rate, months, day, first_month)
    # any day from well before the first installment to the last one
    start = rows[0].due_date - timedelta(days=35)
    offset = data.draw(st.integers(min_value=0, max_value=(rows[-1].due_date - start).days)) if data else 0
    effective = start + timedelta(days=offset)

    # when
    q = quote(rows, financed, percent, rate, effective, vat_rate=vat_rate, fee=fee, today=start)

    # then quote = capital remaining + residual + interest to date + fee + VAT, each in grosze
    for amount in (q.capital_remaining, q.interest, q.fee, q.vat, q.total, q.net_total):
        assert amount == to_money(amount)
        assert amount >= 0
    assert q.net_total == q.capital_remaining + q.residual_value + q.interest + q.fee
    assert q.vat == to_money(q.net_total * vat_rate)
    assert q.total == q.net_total + q.vat
    assert q.fee == to_money(q.capital_remaining * fee / 100)
    assert q.residual_value == residual_from_percent(financed, percent)
    # valid from today for at most 14 days and never past the effective date
    assert start <= q.valid_until <= min(effective, start + timedelta(days=14))


@settings(max_examples=200, deadline=None)
@given(contracts, st.data())
def test_on_a_due_date_the_capital_is_the_schedules_and_no_interest_accrues(contract, data):
    financed, percent, rate, months, day, first_month = contract
    rows = rows_for(financed, percent, rate, months, day, first_month)
    row = data.draw(st.sampled_from(rows))

    # when the contract ends on an installment's due date (that installment is paid as scheduled)
    q = quote(rows, financed, percent, rate, row.due_date)

    # then what is left is exactly the schedule's capital remaining after it, and no interest
    assert q.capital_remaining + q.residual_value == row.capital_remaining
    assert q.base_installment == row.number
    assert q.interest == 0


@settings(max_examples=300, deadline=None)
@given(contracts, st.data())
@example((Decimal("5000000.00"), Decimal("0.01"), Decimal("24.999"), 120, 28, date(2024, 2, 1)), None)
def test_a_whole_period_of_interest_agrees_with_the_next_installment_to_the_grosz(contract, data):
    financed, percent, rate, months, day, first_month = contract
    rows = rows_for(financed, percent, rate, months, day, first_month)
    k = data.draw(st.integers(min_value=0, max_value=len(rows) - 1)) if data else len(rows) - 1
    # the capital outstanding before installment k+1 (the financed amount before the first one)
    before = rows[k - 1].capital_remaining if k else financed
    since = rows[k - 1].due_date if k else period_start_before(rows[0].due_date)

    # when interest accrues over the whole period up to the next due date
    interest = accrued_interest(before, rate, since, rows[k].due_date)

    # then it is the schedule's interest, and settling then costs the installment plus what remains
    assert interest == rows[k].interest
    assert before + interest == rows[k].net + rows[k].capital_remaining


@settings(max_examples=150, deadline=None)
@given(contracts, st.data())
def test_interest_grows_with_the_date_and_stays_below_the_next_installments(contract, data):
    financed, percent, rate, months, day, first_month = contract
    rows = rows_for(financed, percent, rate, months, day, first_month)
    if len(rows) < 2:
        return
    k = data.draw(st.integers(min_value=1, max_value=len(rows) - 1))
    period_days = (rows[k].due_date - rows[k - 1].due_date).days
    a, b = sorted(data.draw(st.lists(st.integers(0, period_days - 1), min_size=2, max_size=2)))

    # when the effective date moves forward within one period
    first = quote(rows, financed, percent, rate, rows[k - 1].due_date + timedelta(days=a))
    later = quote(rows, financed, percent, rate, rows[k - 1].due_date + timedelta(days=b))

    # then interest never falls and never reaches more than the next installment's interest
    assert first.interest <= later.interest <= rows[k].interest
    assert first.capital_remaining == later.capital_remaining


def test_day_count_is_30e_360():
    assert days_30e_360(date(2026, 1, 10), date(2026, 2, 10)) == 30
    assert days_30e_360(date(2026, 1, 31), date(2026, 3, 1)) == 31  # 31st counts as the 30th
    assert days_30e_360(date(2026, 2, 28), date(2026, 3, 28)) == 30
    assert days_30e_360(date(2025, 12, 15), date(2026, 1, 5)) == 20
    assert period_start_before(date(2026, 1, 10)) == date(2025, 12, 10)


def test_a_worked_example():
    # 120 000 zł over 36 months at 7.5%, residual 10%, payment day 10, first installment 10.01.2026
    rows = rows_for(Decimal("120000"), Decimal("10"), Decimal("7.5"), 36, 10, date(2026, 1, 1))
    row = rows[11]  # 12th installment, due 10.12.2026

    # when the contract ends 20 days after it
    q = quote(
        rows, Decimal("120000"), Decimal("10"), Decimal("7.5"), date(2026, 12, 30), today=date(2026, 12, 1)
    )

    # then
    assert q.base_installment == 12
    assert q.capital_remaining == row.capital_remaining - Decimal("12000.00")
    assert q.interest == to_money(row.capital_remaining * Decimal("7.5") / 1200 * 20 / 30)
    assert q.fee == to_money(q.capital_remaining * Decimal("0.02"))
    assert q.valid_until == date(2026, 12, 15)
    assert q.total == q.net_total + to_money(q.net_total * Decimal("0.23"))


def test_a_loan_bears_no_vat_and_arrears_are_shown_apart():
    rows = rows_for(
        Decimal("50000"), Decimal("0"), Decimal("9"), 24, 5, date(2026, 1, 1), vat_rate=Decimal("0")
    )
    rows[1] = replace(rows[1], paid=False)
    rows[0] = replace(rows[0], paid=True)

    q = quote(
        rows,
        Decimal("50000"),
        Decimal("0"),
        Decimal("9"),
        date(2026, 3, 1),
        vat_rate=Decimal("0"),
        today=date(2026, 2, 20),
    )

    assert q.vat == 0 and q.total == q.net_total
    # the unpaid installment due 5.02 is arrears beside the quote, not part of its total
    assert q.unpaid_due == rows[1].gross
    assert q.total == q.capital_remaining + q.interest + q.fee


@pytest.mark.parametrize(
    "effective, message",
    [
        (date(2026, 5, 31), "w przeszłości"),
        (date(2029, 1, 1), "późniejsza niż termin ostatniej raty"),
        (date(2026, 7, 1), "już zapłacona"),
    ],
)
def test_impossible_dates_are_refused(effective, message):
    rows = rows_for(Decimal("120000"), Decimal("10"), Decimal("7.5"), 36, 10, date(2026, 1, 1))
    rows[7] = replace(rows[7], paid=True)  # 10.08.2026 paid in advance

    with pytest.raises(BuyoutError, match=message):
        quote(rows, Decimal("120000"), Decimal("10"), Decimal("7.5"), effective, today=date(2026, 6, 1))
