"""Input of the contract pages and their API (one serializer each, shared by both)."""

from __future__ import annotations

from rest_framework import serializers

from backend.core.date_fields import DateInputField


class BuyoutQuoteInputSerializer(serializers.Serializer):
    effective_date = DateInputField(help_text="The day the contract should end (YYYY-MM-DD).")
