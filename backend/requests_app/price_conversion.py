"""A value change priced in another currency than the contract's, converted when staff approve it.

The client may state the new price in PLN, EUR or CHF whatever the contract's currency (FEATURES.md). The
portal fetches no rates: staff type the rate (one unit of the price's currency in the contract's, e.g. the
NBP table A mid rate) and its date, and the portal computes the amount (price × rate, half-up to grosze),
shown on the page before the confirmation. Nobody multiplies by hand, and no typed amount can disagree
with its rate.

The conversion is kept on the request (form_data[CONVERSION_KEY]), where the approval's service task reads
the request's price anyway, not in the staff review form's data: that form is copied into every deployed
version, so a new field there would leave the instances running on older versions unable to approve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from backend.core.date_fields import DateInputField
from backend.core.exceptions import PortalValidationError
from backend.core.money import format_date, format_money, format_rate, to_money
from backend.core.money_fields import AmountField
from backend.requests_app.change_plans import CONVERSION_KEY
from backend.requests_app.inputs import StaffApproveInputSerializer
from backend.requests_app.models import PortalRequest, RequestKind

RATE_FIELDS = ("exchange_rate", "rate_date")


@dataclass(frozen=True)
class Price:
    """A value change's price in another currency than its contract's."""

    amount: Decimal
    currency: str
    contract_currency: str


@dataclass(frozen=True)
class PriceConversion:
    price: Price
    rate: Decimal
    rate_date: date

    @property
    def converted(self) -> Decimal:
        return to_money(self.price.amount * self.rate)

    def to_data(self) -> dict[str, str]:
        return {
            "amount": str(self.price.amount),
            "currency": self.price.currency,
            "rate": str(self.rate),
            "rate_date": self.rate_date.isoformat(),
            "converted": str(self.converted),
            "contract_currency": self.price.contract_currency,
        }

    def text(self, *, lang: str = "pl") -> str:
        """`12 000,00 EUR → 51 360,00 zł po kursie 4,2800 (NBP, 27.11.2026)`, in `lang`."""
        return conversion_text(self.to_data(), lang=lang)


def conversion_line(data: dict, *, lang: str = "pl") -> str:
    """The sentence of a stored conversion under the decision and in the decision letter."""
    with translation.override(lang):
        return _("Price converted to the contract's currency: %(conversion)s.") % {
            "conversion": conversion_text(data, lang=lang)
        }


def conversion_text(data: dict, *, lang: str = "pl") -> str:
    """A stored conversion (PriceConversion.to_data) as the decision, its history row and letter say it."""
    with translation.override(lang):
        return _("%(amount)s → %(converted)s at %(rate)s (NBP, %(date)s)") % {
            "amount": format_money(data["amount"], data["currency"], lang=lang),
            "converted": format_money(data["converted"], data["contract_currency"], lang=lang),
            "rate": format_rate(data["rate"], lang=lang),
            "date": format_date(date.fromisoformat(data["rate_date"]), lang=lang),
        }


def price_to_convert(portal_request: PortalRequest) -> Price | None:
    """The request's price when approving it takes a rate: a value change in another currency than its
    contract's; None for every other request."""
    if portal_request.kind != RequestKind.CONTRACT_VALUE_CHANGE or not portal_request.contract_id:
        return None
    data = portal_request.form_data or {}
    contract_currency = portal_request.contract.currency
    currency = data.get("currency") or contract_currency
    if currency == contract_currency or data.get("net_amount") in (None, ""):
        return None
    return Price(Decimal(str(data["net_amount"])), currency, contract_currency)


def record_conversion(
    portal_request: PortalRequest, *, rate: Decimal | None, rate_date: date | None
) -> PriceConversion | None:
    """At approval, on the locked request: convert its foreign price at the staff's rate and keep the
    conversion in its form_data (the caller saves it with the step). Field errors: a rate missing where
    the price needs one, or given where it needs none."""
    price = price_to_convert(portal_request)
    if price is None:
        if rate is not None or rate_date is not None:
            message = _("The price is in the contract's currency: approve it without an exchange rate.")
            raise PortalValidationError(message, fields={"exchange_rate": [message]})
        return None
    errors = {}
    if rate is None:
        errors["exchange_rate"] = [
            _("Enter the rate of 1 %(currency)s in %(contract_currency)s: the price is in %(currency)s.")
            % {"currency": price.currency, "contract_currency": price.contract_currency}
        ]
    if rate_date is None:
        errors["rate_date"] = [_("Enter the date of the exchange rate.")]
    if errors:
        raise PortalValidationError(fields=errors)
    conversion = PriceConversion(price, rate, rate_date)
    portal_request.form_data = {**portal_request.form_data, CONVERSION_KEY: conversion.to_data()}
    return conversion


@extend_schema_serializer(component_name="StaffApproveInput")
class StaffApproveRateInputSerializer(StaffApproveInputSerializer):
    """The approval, with the exchange rate a price in another currency than the contract's takes."""

    exchange_rate = AmountField(
        max_digits=10,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        required=False,
        help_text="Required exactly when the request's price is in another currency than the contract's "
        "(form_data.currency ≠ the contract's): 1 unit of the price's currency in the contract's (e.g. the "
        "NBP table A mid rate), up to 4 decimals. The contract's value becomes price × rate, rounded half-up "
        "to grosze; form_data.price_conversion keeps both amounts.",
    )
    rate_date = DateInputField(
        required=False, help_text="The date of the exchange rate (its NBP table); not in the future."
    )

    def validate_rate_date(self, value: date) -> date:
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The exchange rate's date cannot be in the future."))
        return value
