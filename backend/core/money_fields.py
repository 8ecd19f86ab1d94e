"""An amount the API takes as text the way a Polish client writes it, as the request forms promise.

The JSON Schema of a form (bpmn/forms/…, given to API clients by the catalogue) writes an amount as a string
with either a dot or a comma before the grosze (`^[0-9]+([.,][0-9]{1,2})?$`), but DRF's DecimalField reads
only a dot: "750000,00" was refused as "not a number" although the schema allows it. The text goes through
the pages' one parser (money.parse_amount, Polish rules: "750000,00", "750 000,00", "750000.00", a bare
"750000"); anything it refuses stays invalid rather than guessed ("750.000", "750,000.00").
"""

from __future__ import annotations

from rest_framework import serializers

from backend.core.money import AmountFormatError, parse_amount


class AmountField(serializers.DecimalField):
    """A DecimalField that also reads a decimal comma (and thousands spaces) in a string."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = parse_amount(data, lang="pl") or data
            except AmountFormatError:
                self.fail("invalid")
        return super().to_internal_value(data)
