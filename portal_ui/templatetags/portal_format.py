"""Polish display formats in templates: `{% load portal_format %}`, then `{{ amount|money:"EUR" }}`,
`{{ invoice.due_date|pldate }}`. Both follow the active language (Polish: "1 234,56 zł", "24.11.2026")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _
from django.utils.translation import npgettext_lazy, pgettext_lazy

from backend.core.identifiers import format_iban, format_nip, format_regon
from backend.core.language import active_lang
from backend.core.money import (
    format_amount,
    format_date,
    format_money,
    format_month,
    format_percent,
    format_time,
)
from portal_ui.error_summary import has_link, linked_message

register = template.Library()


@register.filter
def money(value: Decimal | int | str | None, currency: str = "PLN") -> str:
    """Return the amount with its currency, or an empty string for a missing value."""
    if value is None or value == "":
        return ""
    try:
        return format_money(value, currency or "PLN", lang=active_lang())
    except (InvalidOperation, ValueError, TypeError):
        return ""


def currency_tags(totals: list) -> bool:
    """Whether figures given per currency name their currency in a chip beside the label: only when there are
    several currencies; one currency's amounts say it themselves. The home page and the settlements page."""
    return len(totals) > 1


@register.filter
def amount(value: Decimal | int | str | None) -> str:
    """Return the amount without a currency (for tables whose header names the currency)."""
    if value is None or value == "":
        return ""
    try:
        return format_amount(value, lang=active_lang())
    except (InvalidOperation, ValueError, TypeError):
        return ""


@register.filter
def percent(value: Decimal | int | str | None) -> str:
    """Return the percentage as 9,50% (Polish) or 9.50% (English), or an empty string for a missing value."""
    if value is None or value == "":
        return ""
    try:
        return format_percent(value, lang=active_lang())
    except (InvalidOperation, ValueError, TypeError):
        return ""


@register.filter
def pldate(value: date | datetime | None) -> str:
    """Return the date as 24.11.2026 (Polish) or 2026-11-24 (English)."""
    if not isinstance(value, date):
        return ""
    return format_date(value, lang=active_lang())


@register.filter
def due_time(value: datetime | None) -> str:
    """A staff due time: "dziś do 17:00" on its own day, when the hour is what is left, else its date
    (24.11.2026 / 2026-11-24) as pldate writes it."""
    if not isinstance(value, datetime):
        return ""
    if timezone.localdate(value) == timezone.localdate():
        return _("today by %(time)s") % {"time": format_time(value)}
    return format_date(value, lang=active_lang())


@register.filter
def plmonth(value: date | None) -> str:
    """Return the month as 11.2025 (Polish) or 2025-11 (English)."""
    if not isinstance(value, date):
        return ""
    return format_month(value, lang=active_lang())


@register.filter
def nip(value: str | None) -> str:
    """Return the NIP as 123-456-78-90 (backend/core/identifiers.py: the one format of every screen)."""
    return format_nip(value)


@register.filter
def regon(value: str | None) -> str:
    """Return the REGON in its one display format."""
    return format_regon(value)


@register.filter
def iban(value: str | None) -> str:
    """Return the bank account grouped in fours: PL61 1090 1014 0000 0712 1981 2874."""
    return format_iban(value)


# The portal's own wording of backend.invoices.models.InvoiceStatus, translated in this app's catalogue.
INVOICE_STATUS_LABELS = {
    "paid": pgettext_lazy("invoice status", "Paid"),
    "unpaid": pgettext_lazy("invoice status", "Unpaid"),
    "overdue": pgettext_lazy("invoice status", "Overdue"),
    "partly_paid": pgettext_lazy("invoice status", "Partly paid"),
}


@register.filter
def invoice_status(value: str) -> str:
    """Return the translated label of an invoice status code (paid, unpaid, overdue, partly_paid)."""
    return str(INVOICE_STATUS_LABELS.get(str(value), value))


# The units of "… ago": Polish puts a feminine unit in the accusative there ("1 minutę temu", not Django's
# nominative "1 minuta temu"); the masculine ones (rok, miesiąc, tydzień, dzień) read the same either way.
AGO_TIME_STRINGS = {
    **TIME_STRINGS,
    "hour": npgettext_lazy("time ago", "%(num)d hour", "%(num)d hours", "num"),
    "minute": npgettext_lazy("time ago", "%(num)d minute", "%(num)d minutes", "num"),
}


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago, in words ("3 dni temu"); under a minute "przed chwilą" (timesince says "0 minut")."""
    if not isinstance(value, datetime):
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return _("just now")
    return _("%(age)s ago") % {"age": timesince(value, time_strings=AGO_TIME_STRINGS)}


@register.filter
def before_full_stop(value: object) -> str:
    """A name that ends a sentence, without its own final dot: the sentence's full stop stands for both
    ("… sp. z o.o." never "… sp. z o.o..")."""
    return str(value or "").rstrip().removesuffix(".")


# An error message on a page: a request it names by address is linked by its number (error_summary).
register.filter("linked_message", linked_message, is_safe=True)
register.filter("has_link", has_link)
