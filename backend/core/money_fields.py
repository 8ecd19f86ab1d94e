"""An amount (or a percent) the API and the pages take as text the way a Polish client writes it.

The JSON Schema of a form (bpmn/forms/…, given to API clients by the catalogue) writes an amount as a string
with either a dot or a comma before the grosze (`^[0-9]+([.,][0-9]{1,2})?$`), but DRF's DecimalField reads
only a dot: "750000,00" was refused as "not a number" although the schema allows it. The text goes through
the pages' one parser (money.parse_amount, Polish rules: "750000,00", "750 000,00", "750000.00", a bare
"750000"); anything it refuses stays invalid rather than guessed ("750.000", "750,000.00") and is answered
with the pages' hint saying how to write it. Limits in messages are written as the reader's language writes
numbers ("0,01", not DRF's "0.01"). Every amount or percent an input serializer reads is an AmountField, so
a page and the API say the same about the same number.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import Promise
from django.utils.translation import ngettext_lazy
from rest_framework import serializers
from rest_framework.utils.formatting import lazy_format

from backend.core.language import active_lang
from backend.core.money import AmountFormatError, format_amount, parse_amount


class _Number:
    """A limit that reads, when the message is rendered, as the active language writes numbers."""

    def __init__(self, value: Decimal | int) -> None:
        self.value = value

    def __str__(self) -> str:
        return format_amount(self.value, lang=active_lang())


# DRF formats these with str.format when it refuses a number: the placeholders are DRF's own names.
DIGIT_MESSAGES = {
    "max_digits": lambda n: ngettext_lazy(
        "Enter no more than {max_digits} digit in total.",
        "Enter no more than {max_digits} digits in total.",
        n,
    ),
    "max_decimal_places": lambda n: ngettext_lazy(
        "Enter no more than {max_decimal_places} decimal place.",
        "Enter no more than {max_decimal_places} decimal places.",
        n,
    ),
    "max_whole_digits": lambda n: ngettext_lazy(
        "Enter no more than {max_whole_digits} digit before the decimal point.",
        "Enter no more than {max_whole_digits} digits before the decimal point.",
        n,
    ),
}


@cache
def digit_message(key: str, limit: int) -> Promise:
    """DIGIT_MESSAGES[key] for `limit`, made once per process: DRF copies a serializer's fields for every
    input it validates, and ngettext_lazy with a number builds a new proxy class each call (the approve
    input's two rates cost ~1.5 ms of CPU per approval, #18). The message stays lazy: translated when it is
    shown, in the language of that request."""
    return DIGIT_MESSAGES[key](limit)


class AmountField(serializers.DecimalField):
    """A DecimalField that also reads a decimal comma (and thousands spaces) in a string."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # DRF's digit limits are one sentence for every number ("2 cyfr"): ngettext gives Polish its forms
        # ("2 cyfry", "5 cyfr"), with the field's own limit as the count. A caller's own message stays.
        own = kwargs.get("error_messages") or {}
        for key, limit in self._digit_limits().items():
            if key not in own and limit is not None:
                self.error_messages[key] = digit_message(key, limit)
        for validator in self.validators:
            # DRF wrote the limit with str(Decimal): "0.01" in a Polish sentence.
            if isinstance(validator, MinValueValidator) and self.min_value is not None:
                validator.message = lazy_format(
                    self.error_messages["min_value"], min_value=_Number(self.min_value)
                )
            elif isinstance(validator, MaxValueValidator) and self.max_value is not None:
                validator.message = lazy_format(
                    self.error_messages["max_value"], max_value=_Number(self.max_value)
                )

    def _digit_limits(self) -> dict[str, int | None]:
        return {
            "max_digits": self.max_digits,
            "max_decimal_places": self.decimal_places,
            "max_whole_digits": self.max_whole_digits,
        }

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = parse_amount(data, lang="pl") or data
            except AmountFormatError as exc:
                # The pages' own hint ("1 250,50: spaces between thousands, …"), not DRF's generic one.
                raise serializers.ValidationError(str(exc), code="invalid") from exc
        return super().to_internal_value(data)
