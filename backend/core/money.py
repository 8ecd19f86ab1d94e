"""Money helpers: Decimal amounts rounded half-up to grosze, their display formats and the reading of
amounts typed in either language."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.language import active_lang

GROSZ = Decimal("0.01")
NBSP = "\u00a0"
CURRENCY_SYMBOLS = {"PLN": "zł", "EUR": "EUR", "CHF": "CHF"}


def to_money(value: Decimal | int | str) -> Decimal:
    """Round to grosze, half-up (never banker's rounding)."""
    return Decimal(value).quantize(GROSZ, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal | int | str, *, lang: str = "pl") -> str:
    """Return `1 234,56` (Polish: non-breaking space for thousands, decimal comma) or `1,234.56`."""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    whole, frac = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    if lang == "en":
        return f"{sign}{','.join(groups)}.{frac}"
    return f"{sign}{NBSP.join(groups)},{frac}"


class AmountFormatError(ValueError):
    """Typed text that is not a number as the page's language writes one; the message says how to."""


# Spaces group thousands in both languages (a copied "1 234,56" has non-breaking or thin ones); the
# apostrophe of "1'234" too.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_GROUPED = r"[0-9]{1,3}(?:%s[0-9]{3})+"
_ENGLISH = re.compile(r"(?P<whole>[0-9]+|%s)(?:\.(?P<fraction>[0-9]+))?" % (_GROUPED % "[,\x20]"))
_POLISH = re.compile(r"(?P<whole>[0-9]+|%s)(?:,(?P<fraction>[0-9]+))?" % (_GROUPED % "\x20"))
# Polish text may still be the plain machine form "1234.56"; "700.000" would read as 700 there but as
# 700 000 to a German or Italian eye, so three digits after the dot are refused rather than guessed.
_POLISH_DOT = re.compile(r"(?P<whole>[0-9]+)\.(?P<fraction>[0-9]{1,2}|[0-9]{4,})")


def amount_format_hint() -> str:
    """How the active language writes a number (the example formatted as the pages show amounts)."""
    return _("Write the number as %(example)s: commas between thousands, a dot before the decimals.") % {
        "example": format_amount(Decimal("1250.50"), lang=active_lang())
    }


def parse_amount(text: str, *, lang: str = "pl") -> str:
    """Read a number typed in the page's language and return it as plain text ("700000.00"), "" for none.

    English: commas (or spaces) between thousands, a dot before the decimals ("700,000.00"); Polish:
    spaces between thousands, a comma before the decimals ("700 000,00"). A bare number ("700000",
    "700000.5") reads the same in both. Anything else raises AmountFormatError rather than being guessed:
    English "700,5" is not 700.50, Polish "700.000" not 700. The caller's serializer checks the value
    (range, decimal places).
    """
    compact = _SPACES.sub(" ", (text or "").strip())
    sign = ""
    if compact[:1] in {"-", "\u2212"}:
        sign, compact = "-", compact[1:].lstrip()
    if not compact and not sign:
        return ""
    match = (_ENGLISH if lang == "en" else _POLISH).fullmatch(compact)
    if match is None and lang != "en":
        match = _POLISH_DOT.fullmatch(compact)
    if match is None:
        raise AmountFormatError(amount_format_hint())
    whole = re.sub(r"[^0-9]", "", match["whole"])
    return f"{sign}{whole}.{match['fraction']}" if match["fraction"] else f"{sign}{whole}"


RATE_PLACES = Decimal("0.0001")


def format_rate(value: Decimal | int | str, *, lang: str = "pl") -> str:
    """Return an exchange rate with the 4 decimals NBP publishes: `4,2800` (Polish) or `4.2800`."""
    text = f"{Decimal(value).quantize(RATE_PLACES, rounding=ROUND_HALF_UP):.4f}"
    return text if lang == "en" else text.replace(".", ",")


def format_percent(value: Decimal | int | str, *, lang: str = "pl") -> str:
    """Return a percentage: `9,50%` (Polish) or `9.50%`; two decimals, or the value's own third one (an
    interest rate of `7,125%`), never a trailing zero past the second ("9.500%")."""
    number = Decimal(value)
    places = max(2, -number.normalize().as_tuple().exponent)
    text = f"{number:.{places}f}"
    return f"{text if lang == 'en' else text.replace('.', ',')}%"


def currency_symbol(currency: str, *, lang: str = "pl") -> str:
    """What follows an amount: `zł` in Polish text, the ISO code otherwise (`PLN`, `EUR`)."""
    return CURRENCY_SYMBOLS.get(currency, currency) if lang == "pl" else currency


def format_money(value: Decimal | int | str, currency: str = "PLN", *, lang: str = "pl") -> str:
    """Return `1 234,56 zł` or `1 234,56 EUR`."""
    return f"{format_amount(value, lang=lang)}{NBSP}{currency_symbol(currency, lang=lang)}"


def format_date(value: date | datetime | None, *, lang: str = "pl") -> str:
    """Return `24.11.2026` (Polish) or `2026-11-24` (English, ISO); datetimes in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime("%d.%m.%Y") if lang == "pl" else value.isoformat()


def format_day_month(value: date, *, lang: str = "pl") -> str:
    """Return the day without its year, for a chart's ticks: `24.11` (Polish) or `11-24` (English, ISO)."""
    return value.strftime("%d.%m") if lang == "pl" else value.strftime("%m-%d")


def format_month(value: date, *, lang: str = "pl") -> str:
    """Return the month as `11.2025` (Polish) or `2025-11` (English, ISO like format_date)."""
    return value.strftime("%m.%Y") if lang == "pl" else value.strftime("%Y-%m")


def format_time(value: datetime) -> str:
    """Return `13:32` in local time (Europe/Warsaw), the same in both languages."""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%H:%M")


def format_datetime(value: datetime | None, *, lang: str = "pl") -> str:
    """Return `29.11.2026 13:32` (Polish) or `2026-11-29 13:32` (English), in local time."""
    return f"{format_date(value, lang=lang)} {format_time(value)}" if value is not None else ""
