"""Money helpers: Decimal amounts rounded half-up to grosze, and Polish display formats."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

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


def format_money(value: Decimal | int | str, currency: str = "PLN", *, lang: str = "pl") -> str:
    """Return `1 234,56 zł` or `1 234,56 EUR`."""
    symbol = CURRENCY_SYMBOLS.get(currency, currency) if lang == "pl" else currency
    return f"{format_amount(value, lang=lang)}{NBSP}{symbol}"


def format_date(value: date | datetime | None, *, lang: str = "pl") -> str:
    """Return `24.11.2026` (Polish) or `2026-11-24` (English, ISO); datetimes in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime("%d.%m.%Y") if lang == "pl" else value.isoformat()


def format_time(value: datetime) -> str:
    """Return `13:32` in local time (Europe/Warsaw), the same in both languages."""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%H:%M")


def format_datetime(value: datetime | None, *, lang: str = "pl") -> str:
    """Return `29.11.2026 13:32` (Polish) or `2026-11-29 13:32` (English), in local time."""
    return f"{format_date(value, lang=lang)} {format_time(value)}" if value is not None else ""
