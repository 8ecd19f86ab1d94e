"""The back office's calendar: working days are Monday to Friday except Polish public holidays.

The holidays are those of the act of 18 January 1951 on public holidays (ustawa o dniach wolnych od
pracy): fixed dates, 24 December since 2025, and the movable feasts counted from Easter Sunday (the
anonymous Gregorian algorithm below, no library). Pentecost always falls on a Sunday, so it frees no
working day, but it is listed for completeness. Staff due dates count these days (backend/requests_app/
lifecycle.py); statutory periods such as a complaint's 30 days stay in calendar days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone

POLISH_TIME = ZoneInfo("Europe/Warsaw")
# A working day's office hours end here: a due date is "by the end of that working day".
OFFICE_DAY_END = time(17, 0)

# (month, day) of the fixed holidays, and the year 24 December became one (Wigilia, from 2025).
_FIXED_HOLIDAYS = [(1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]
_CHRISTMAS_EVE_SINCE = 2025
# Days after Easter Sunday: Easter Monday, Pentecost (Zielone Świątki), Corpus Christi (Boże Ciało).
_EASTER_OFFSETS = [0, 1, 49, 60]


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of the Gregorian year (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def polish_public_holidays(year: int) -> frozenset[date]:
    """Return the Polish public holidays of the year (weekends not included unless a holiday)."""
    days = {date(year, month, day) for month, day in _FIXED_HOLIDAYS}
    if year >= _CHRISTMAS_EVE_SINCE:
        days.add(date(year, 12, 24))
    easter = easter_sunday(year)
    days.update(easter + timedelta(days=offset) for offset in _EASTER_OFFSETS)
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in polish_public_holidays(day.year)


def last_working_day_before(day: date) -> date:
    """Return the latest working day strictly before `day` (the day of an NBP rate for a tax point)."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """Return the `count`-th working day after `day` (`day` itself never counts; 0: `day` if it is a
    working day, else the next one)."""
    if count <= 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def end_of_office_day(day: date) -> datetime:
    """The moment the office day `day` ends, in Polish time."""
    return datetime.combine(day, OFFICE_DAY_END, tzinfo=POLISH_TIME)


def due_in_working_days(moment: datetime, count: int) -> datetime:
    """Return the end of the office day (17:00 in Poland) of the `count`-th working day after the Polish
    date of `moment`. The day of `moment` never counts, whatever its hour, as the day a period starts
    from does not in the Civil Code (art. 111): Monday 10:00 plus 5 working days is the next Monday,
    17:00; Friday's at 16:00 or Saturday's is due on the following Friday."""
    start = timezone.localtime(moment, POLISH_TIME).date()
    return end_of_office_day(add_working_days(start, count))
