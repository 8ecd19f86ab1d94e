"""Property tests of the schedule arithmetic (backend/contracts/schedule.py): pure Python, no database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backend.contracts.schedule import (
    ScheduleError,
    annuity_net_installment,
    compute_schedule,
    due_date_for,
    kept_installment_count,
    move_due_dates,
    residual_from_percent,
)

amounts = st.decimals(min_value=Decimal("1000.00"), max_value=Decimal("5000000.00"), places=2)
percents = st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("25"), places=3)
periods = st.integers(min_value=1, max_value=120)
days = st.integers(min_value=1, max_value=28)
months_start = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 1)).map(
    lambda d: d.replace(day=1)
)
vat_rates = st.sampled_from([Decimal("0.23"), Decimal("0.08"), Decimal("0")])


def schedule(financed, percent, rate, months, day, first_month, vat_rate=Decimal("0.23"), **extra):
    return compute_schedule(
        financed_amount=financed,
        residual_value=residual_from_percent(financed, percent),
        annual_rate_percent=rate,
        months=months,
        payment_day=day,
        first_month=first_month,
        vat_rate=vat_rate,
        **extra,
    )


@settings(max_examples=300, deadline=None)
@given(amounts, percents, rates, periods, days, months_start, vat_rates)
@example(Decimal("1000.00"), Decimal("50"), Decimal("25"), 120, 28, date(2035, 12, 1), Decimal("0.23"))
@example(Decimal("1000.00"), Decimal("0"), Decimal("0"), 1, 1, date(2000, 1, 1), Decimal("0"))
@example(Decimal("5000000.00"), Decimal("0.01"), Decimal("0.001"), 120, 15, date(2024, 2, 1), Decimal("0.23"))
def test_capital_repays_exactly_down_to_the_residual(
    financed, percent, rate, months, day, first_month, vat_rate
):
    # when
    rows = schedule(financed, percent, rate, months, day, first_month, vat_rate)
    residual = residual_from_percent(financed, percent)
    # then every grosz of capital is scheduled, no more and no less
    assert len(rows) == months
    assert [r.number for r in rows] == list(range(1, months + 1))
    assert sum(r.capital for r in rows) == financed - residual
    # the capital remaining never grows and ends at the residual value
    remaining = [financed] + [r.capital_remaining for r in rows]
    assert all(later <= earlier for earlier, later in zip(remaining, remaining[1:], strict=False))
    assert rows[-1].capital_remaining == residual
    for row in rows:
        assert row.capital >= 0 and row.interest >= 0
        assert row.net == row.capital + row.interest
        assert row.gross == row.net + row.vat
        for value in (row.capital, row.interest, row.net, row.vat, row.gross, row.capital_remaining):
            assert value == value.quantize(Decimal("0.01"))
    # level installments: all but the last are equal
    assert len({r.net for r in rows[:-1]}) <= 1


@settings(max_examples=200, deadline=None)
@given(amounts, percents, rates, periods, days, months_start)
def test_due_dates_are_monthly_on_the_payment_day(financed, percent, rate, months, day, first_month):
    rows = schedule(financed, percent, rate, months, day, first_month)
    for offset, row in enumerate(rows):
        index = first_month.month - 1 + offset
        assert (row.due_date.year, row.due_date.month) == (first_month.year + index // 12, index % 12 + 1)
        assert row.due_date.day == day


@settings(max_examples=200, deadline=None)
@given(amounts, percents, rates, periods, days, days, months_start)
def test_changing_the_payment_day_only_moves_the_dates(
    financed, percent, rate, months, day, new_day, first_month
):
    # given the schedule on one day
    before = schedule(financed, percent, rate, months, day, first_month)
    # when the payment day changes
    moved = move_due_dates([r.due_date for r in before], payment_day=new_day)
    recomputed = schedule(financed, percent, rate, months, new_day, first_month)
    # then moving the dates and recomputing agree, and the amounts do not change
    assert moved == [r.due_date for r in recomputed]
    assert [(r.capital, r.interest, r.gross) for r in before] == [
        (r.capital, r.interest, r.gross) for r in recomputed
    ]


@settings(max_examples=200, deadline=None)
@given(amounts, percents, rates, periods, periods, days, months_start)
def test_changing_the_period_recomputes_consistently(
    financed, percent, rate, months, new_months, day, first_month
):
    before = schedule(financed, percent, rate, months, day, first_month)
    after = schedule(financed, percent, rate, new_months, day, first_month)
    residual = residual_from_percent(financed, percent)
    assert len(after) == new_months
    assert sum(r.capital for r in after) == sum(r.capital for r in before) == financed - residual
    if rate > 0 and new_months > months:
        # a longer period lowers the level installment but costs more interest in total
        assert after[0].net <= before[0].net
        assert sum(r.interest for r in after) >= sum(r.interest for r in before)


@settings(max_examples=200, deadline=None)
@given(amounts, percents, rates, st.integers(min_value=2, max_value=120), days, months_start, st.data())
def test_net_installments_fix_each_but_the_last(financed, percent, rate, months, day, first_month, data):
    # given chosen net installments around the level one
    residual = residual_from_percent(financed, percent)
    level = annuity_net_installment(
        financed_amount=financed, residual_value=residual, annual_rate_percent=rate, months=months
    )
    factors = data.draw(st.lists(st.integers(80, 110), min_size=months - 1, max_size=months - 1))
    nets = [(level * f / 100).quantize(Decimal("0.01")) for f in factors]
    try:
        rows = schedule(financed, percent, rate, months, day, first_month, net_installments=nets)
    except ScheduleError:
        # only when an installment would not cover its interest or would repay past the residual
        return
    # then
    assert [r.net for r in rows[:-1]] == nets
    assert sum(r.capital for r in rows) == financed - residual
    assert rows[-1].capital_remaining == residual
    assert all(r.capital >= 0 for r in rows)


def test_net_installment_below_the_interest_is_refused():
    with pytest.raises(ScheduleError, match="interest"):
        compute_schedule(
            financed_amount=Decimal("100000"),
            residual_value=Decimal("0"),
            annual_rate_percent=Decimal("12"),
            months=3,
            payment_day=10,
            first_month=date(2026, 1, 1),
            net_installments=[Decimal("999.99"), Decimal("50000")],
        )


def test_net_installments_repaying_too_much_are_refused():
    with pytest.raises(ScheduleError, match="more than"):
        compute_schedule(
            financed_amount=Decimal("10000"),
            residual_value=Decimal("1000"),
            annual_rate_percent=Decimal("0"),
            months=3,
            payment_day=10,
            first_month=date(2026, 1, 1),
            net_installments=[Decimal("5000"), Decimal("5000")],
        )


GOOD = {
    "financed_amount": Decimal("100000"),
    "residual_value": Decimal("10000"),
    "annual_rate_percent": Decimal("7.5"),
    "months": 36,
    "payment_day": 15,
    "first_month": date(2026, 1, 1),
}


@pytest.mark.parametrize(
    "change",
    [
        {"months": 0},
        {"months": -3},
        {"months": 121},
        {"financed_amount": Decimal("0")},
        {"financed_amount": Decimal("-100")},
        {"residual_value": Decimal("-1")},
        {"residual_value": Decimal("100000")},
        {"residual_value": Decimal("150000")},
        {"payment_day": 0},
        {"payment_day": 29},
        {"annual_rate_percent": Decimal("-1")},
        {"annual_rate_percent": Decimal("100.001")},
        {"vat_rate": Decimal("-0.23")},
        {"net_installments": [Decimal("3000")] * 10},
        {"net_installments": [Decimal("3000")] * 36 + [Decimal("1")]},
    ],
)
def test_impossible_input_raises_schedule_error(change):
    with pytest.raises(ScheduleError):
        compute_schedule(**{**GOOD, **change})


@pytest.mark.parametrize("day", [0, 29, 31])
def test_move_due_dates_refuses_days_outside_1_to_28(day):
    with pytest.raises(ScheduleError):
        move_due_dates([date(2026, 1, 15)], payment_day=day)


@given(st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), max_size=24), days)
def test_move_due_dates_keeps_the_months(dates, day):
    moved = move_due_dates(dates, payment_day=day)
    assert [(d.year, d.month) for d in moved] == [(d.year, d.month) for d in dates]
    assert all(d.day == day for d in moved)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.booleans()), max_size=60),
    days,
    months_start,
    st.integers(min_value=-40, max_value=2000),
)
def test_a_schedule_change_keeps_exactly_what_is_paid_due_or_invoiced(flags, day, first_month, today_offset):
    # given a monthly schedule, each installment paid or not (also ahead of its date), invoiced or not,
    # and any today
    paid_flags = [paid for paid, _invoiced in flags]
    invoiced_flags = [invoiced for _paid, invoiced in flags]
    due_dates = [due_date_for(first_month=first_month, offset=i, payment_day=day) for i in range(len(flags))]
    today = date.fromordinal(first_month.toordinal() + today_offset)
    # when
    kept = kept_installment_count(zip(due_dates, paid_flags, invoiced_flags, strict=True), today=today)
    # then every re-planned installment is unpaid, not invoiced and still to come (not overdue) ...
    assert 0 <= kept <= len(flags)
    assert not any(paid_flags[kept:])
    assert not any(invoiced_flags[kept:])
    assert all(due >= today for due in due_dates[kept:])
    # ... and nothing is kept that could be re-planned: the last kept one is paid, overdue or invoiced
    if kept:
        assert paid_flags[kept - 1] or invoiced_flags[kept - 1] or due_dates[kept - 1] < today


def test_an_overdue_installment_and_those_paid_ahead_are_kept():
    # the demo's LF/2025/01000012 on 2026-11-29: 1-9 paid, 10 overdue and unpaid, 11-14 paid (14 ahead)
    due_dates = [due_date_for(first_month=date(2025, 11, 1), offset=i, payment_day=10) for i in range(36)]
    paid = [n <= 14 and n != 10 for n in range(1, 37)]
    none = [False] * 36
    assert kept_installment_count(zip(due_dates, paid, none, strict=True), today=date(2026, 11, 29)) == 14
    # an installment due today can still be paid on time: it is re-planned
    assert kept_installment_count(zip(due_dates, none, none, strict=True), today=date(2026, 12, 10)) == 13
    # unless it is invoiced already: its invoice keeps its amount and date
    invoiced = [n == 14 for n in range(1, 37)]
    assert kept_installment_count(zip(due_dates, none, invoiced, strict=True), today=date(2026, 12, 10)) == 14
