"""Dates a user types, as the API and the pages take them.

DRF's DateField answers every unreadable date with "Date has wrong format. Use one of these formats
instead: YYYY-MM-DD." - also a date written in that very format that the calendar lacks (2027-02-29,
2026-04-31), which left the user looking for a format mistake. Such a date is "This date does not exist."
"""

from __future__ import annotations

from django.utils.dateparse import date_re
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class DateInputField(serializers.DateField):
    """A DateField whose well-formed date missing from the calendar is refused as such."""

    default_error_messages = {"no_such_date": _("This date does not exist.")}

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except serializers.ValidationError:
            if isinstance(value, str) and date_re.fullmatch(value.strip()):
                self.fail("no_such_date")
            raise
