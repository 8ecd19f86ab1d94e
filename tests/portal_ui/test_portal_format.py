from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

NBSP = "\u00a0"


def render(source: str, **context) -> str:
    return Template("{% load portal_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (Decimal("1234.56"), "PLN", f"1{NBSP}234,56{NBSP}zł"),
        (Decimal("1234567.005"), "PLN", f"1{NBSP}234{NBSP}567,01{NBSP}zł"),
        (Decimal("-12.5"), "EUR", f"-12,50{NBSP}EUR"),
        (Decimal("0"), "CHF", f"0,00{NBSP}CHF"),
    ],
)
def test_money_in_polish(value, currency, expected):
    with translation.override("pl"):
        assert render("{{ v|money:c }}", v=value, c=currency) == expected


def test_money_defaults_to_zloty():
    with translation.override("pl"):
        assert render("{{ v|money }}", v=Decimal("5")) == f"5,00{NBSP}zł"


def test_money_in_english_uses_the_currency_code():
    with translation.override("en"):
        assert render("{{ v|money:'PLN' }}", v=Decimal("1234.56")) == f"1,234.56{NBSP}PLN"


def test_missing_or_bad_values_render_empty():
    with translation.override("pl"):
        assert render("[{{ v|money }}][{{ w|money }}][{{ d|pldate }}]", v=None, w="abc", d="") == "[][][]"


def test_amount_without_currency():
    with translation.override("pl"):
        assert render("{{ v|amount }}", v=Decimal("98765.4")) == f"98{NBSP}765,40"


def test_pldate_in_both_languages():
    with translation.override("pl"):
        assert render("{{ d|pldate }}", d=date(2026, 11, 24)) == "24.11.2026"
    with translation.override("en"):
        assert render("{{ d|pldate }}", d=date(2026, 11, 24)) == "2026-11-24"


def test_pldate_shows_aware_datetimes_in_warsaw_time():
    # 23:30 UTC on 24 November is already 25 November in Warsaw
    value = datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("pl"):
        assert render("{{ d|pldate }}", d=value) == "25.11.2026"


def test_a_due_time_of_today_reads_today_by_its_hour_and_another_day_as_a_date():
    import time_machine

    warsaw = ZoneInfo("Europe/Warsaw")
    due = datetime(2026, 12, 7, 17, 0, tzinfo=warsaw)
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=warsaw), tick=False):
        with translation.override("pl"):
            assert render("{{ v|due_time }}", v=due) == "dziś do 17:00"
        with translation.override("en"):
            assert render("{{ v|due_time }}", v=due) == "today by 17:00"
    with (
        time_machine.travel(datetime(2026, 12, 6, 23, 30, tzinfo=warsaw), tick=False),
        translation.override("pl"),
    ):
        assert render("{{ v|due_time }}", v=due) == "07.12.2026"
    assert render("{{ v|due_time }}", v=None) == ""
