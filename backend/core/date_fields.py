"""Dates a user types, as the API and the pages take them.

DRF's DateField answers every unreadable date with "Date has wrong format. Use one of these formats
instead: YYYY-MM-DD." - also a date written in that very format that the calendar lacks (2027-02-29,
2026-04-31), which left the user looking for a format mistake. Such a date is "This date does not exist."
A date is read as a Polish client writes it (30.11.2026, as the portal shows dates) or in ISO form
(2026-11-30, what a date input and an API client send); the message for anything else names both in the
reader's words ("dd.mm.rrrr"). A page puts a typed date back into its <input type="date"> through
`date_input_value`, which shows only ISO.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils.dateparse import date_re
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

POLISH_DATE = "%d.%m.%Y"
INPUT_FORMATS = [POLISH_DATE, "iso-8601"]
# The same two for Django's form fields (the list filters' DateInputFilter), in every language: Django's
# own DATE_INPUT_FORMATS follow the locale, so English refused 30.11.2026.
FORM_INPUT_FORMATS = [POLISH_DATE, "%Y-%m-%d"]
INVALID_DATE = _("Enter the date as dd.mm.yyyy (e.g. 30.11.2026) or yyyy-mm-dd.")
# Well-formed in either way of writing: a failure to read such a date is the calendar's, not the format's.
_POLISH_DATE_RE = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})")


def read_date(text: str) -> date | None:
    """The date typed as 30.11.2026 or 2026-11-30 (spaces around ignored), None when it is neither."""
    text = (text or "").strip()
    try:
        if _POLISH_DATE_RE.fullmatch(text):
            return datetime.strptime(text, POLISH_DATE).date()
        if date_re.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def date_input_value(text: str) -> str:
    """What a page puts back into an <input type="date">: a readable typed date in ISO form (the input
    drops "30.11.2026"), anything else as typed."""
    value = read_date(text)
    return value.isoformat() if value is not None else text


class DateInputField(serializers.DateField):
    """A DateField that reads dd.mm.yyyy and ISO dates, and refuses a well-formed date missing from the
    calendar as such."""

    default_error_messages = {
        "invalid": INVALID_DATE,
        "no_such_date": _("This date does not exist."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().to_internal_value(value)
        except serializers.ValidationError:
            if isinstance(value, str) and (date_re.fullmatch(value) or _POLISH_DATE_RE.fullmatch(value)):
                self.fail("no_such_date")
            raise
