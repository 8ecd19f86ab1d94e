"""The back office's calendar: Polish public holidays 2025–2027 and counting working days over them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from backend.core.working_days import (
    add_working_days,
    due_in_working_days,
    easter_sunday,
    is_working_day,
    polish_public_holidays,
)

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(
    "year, easter",
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
    ],
)
def test_easter_sunday_by_the_gregorian_algorithm(year, easter):
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    "year, movable",
    [
        # Easter Sunday, Easter Monday, Pentecost Sunday, Corpus Christi (Easter + 60)
        (2025, ["04-20", "04-21", "06-08", "06-19"]),
        (2026, ["04-05", "04-06", "05-24", "06-04"]),
        (2027, ["03-28", "03-29", "05-16", "05-27"]),
    ],
)
def test_the_polish_public_holidays_of_2025_to_2027(year, movable):
    fixed = ["01-01", "01-06", "05-01", "05-03", "08-15", "11-01", "11-11", "12-24", "12-25", "12-26"]
    expected = {date.fromisoformat(f"{year}-{day}") for day in [*fixed, *movable]}
    assert polish_public_holidays(year) == expected


def test_christmas_eve_is_a_holiday_only_since_2025():
    assert date(2024, 12, 24) not in polish_public_holidays(2024)
    assert date(2025, 12, 24) in polish_public_holidays(2025)


def test_weekends_and_holidays_are_not_working_days():
    assert is_working_day(date(2026, 11, 30))  # a Monday
    assert not is_working_day(date(2026, 12, 5))  # a Saturday
    assert not is_working_day(date(2026, 11, 11))  # Independence Day, a Wednesday
    assert not is_working_day(date(2026, 6, 4))  # Corpus Christi, a Thursday


def test_counting_skips_the_start_day_weekends_and_holidays():
    # Friday 6.11.2026: Mon 9, Tue 10, (Wed 11 Independence Day), Thu 12, Fri 13, Mon 16
    assert add_working_days(date(2026, 11, 6), 5) == date(2026, 11, 16)
    # Wednesday 23.12.2026: (24, 25 holidays, 26–27 weekend) 28, 29, 30, 31, (1.01 holiday) Mon 4.01.2027
    assert add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)
    # 0 working days: the day itself when it is one, else the next one
    assert add_working_days(date(2026, 11, 30), 0) == date(2026, 11, 30)
    assert add_working_days(date(2026, 12, 24), 0) == date(2026, 12, 28)


@pytest.mark.parametrize(
    "moment, due",
    [
        # Monday 10:00 → the next Monday at the end of the office day
        (datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW), datetime(2026, 12, 7, 17, 0, tzinfo=WARSAW)),
        # late on Monday evening, as at 10:00: the start day never counts
        (datetime(2026, 11, 30, 23, 30, tzinfo=WARSAW), datetime(2026, 12, 7, 17, 0, tzinfo=WARSAW)),
        # Saturday: counted from Monday, due on Friday
        (datetime(2026, 12, 5, 12, 0, tzinfo=WARSAW), datetime(2026, 12, 11, 17, 0, tzinfo=WARSAW)),
        # UTC 23:30 on Sunday is already Monday in Warsaw
        (datetime(2026, 11, 29, 23, 30, tzinfo=ZoneInfo("UTC")), datetime(2026, 12, 7, 17, 0, tzinfo=WARSAW)),
    ],
)
def test_due_at_the_end_of_the_office_day_of_the_last_working_day(moment, due):
    assert due_in_working_days(moment, 5) == due
