"""The contract terms a client types into a change request, each with its limits in one sentence.

DRF's defaults ("Ensure this value is less than or equal to 120.") do not say what the field is; the
submit (validation.py) and the live preview (inputs.py) take these fields, so the page and the API
answer the same words.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.core.money_fields import AmountField

MONTHS_MIN, MONTHS_MAX = 1, 120
RESIDUAL_PERCENT_MAX = Decimal("50")


def months_field(**kwargs: Any) -> serializers.IntegerField:
    words = _("Enter a number of months from 1 to 120.")
    return serializers.IntegerField(
        min_value=MONTHS_MIN,
        max_value=MONTHS_MAX,
        error_messages={"min_value": words, "max_value": words},
        **kwargs,
    )


def residual_percent_field(**kwargs: Any) -> AmountField:
    # No "%" sign: the validator formats its message with "%" (Django), "50%." would break it.
    words = _("Enter a final value from 0 to 50 percent.")
    return AmountField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=RESIDUAL_PERCENT_MAX,
        error_messages={"min_value": words, "max_value": words},
        **kwargs,
    )


def positive_amount_field(**kwargs: Any) -> AmountField:
    """A net amount of a contract or an installment: more than zero."""
    return AmountField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("Enter an amount greater than zero.")},
        **kwargs,
    )
