"""A value change priced in another currency than the contract's, converted when staff approve it.

The client may state the new price in PLN, EUR or CHF whatever the contract's currency (FEATURES.md). The
portal fetches no rates: staff type them as NBP publishes them (table A mid rate: 1 EUR = x zł, 1 CHF =
x zł) with their date, and the portal computes the amount, one rounding half-up to grosze at the end:
- a EUR or CHF price on a PLN contract: price × rate;
- a PLN price on a EUR or CHF contract: price ÷ rate (the contract currency's rate);
- EUR on CHF or CHF on EUR: price × the price currency's rate ÷ the contract currency's, both of one date.
The page shows the amount and this formula before the confirmation. Nobody inverts a rate or multiplies
by hand, and no typed amount can disagree with its rates.

The conversion is kept on the request (form_data[CONVERSION_KEY]), where the approval's service task reads
the request's price anyway, not in the staff review form's data: that form is copied into every deployed
version, so a new field there would leave the instances running on older versions unable to approve.
Requests approved before rates were typed the NBP way keep their stored shape (one "rate": 1 unit of the
price's currency in the contract's) and still read as they were decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal, localcontext

from django.utils import translation
from django.utils.translation import gettext as _

from backend.core.exceptions import PortalValidationError
from backend.core.money import (
    NBSP,
    currency_symbol,
    format_amount,
    format_date,
    format_money,
    format_rate,
    to_money,
)
from backend.requests_app.change_plans import CONVERSION_KEY
from backend.requests_app.models import PortalRequest, RequestKind

PLN = "PLN"
# EUR and CHF have cost 3–5 zł for decades: a rate outside this is 1 zł in the foreign currency (the way
# it was typed before rates were the NBP way) or a slipped comma, either a tenfold error in the contract.
PLAUSIBLE_RATES = (Decimal("1"), Decimal("10"))
# The approval's rate inputs, in the order a conversion takes its rates (the price currency's first).
RATE_INPUTS = ("exchange_rate", "contract_rate")
RATE_FIELDS = (*RATE_INPUTS, "rate_date")


@dataclass(frozen=True)
class Price:
    """A value change's price in another currency than its contract's."""

    amount: Decimal
    currency: str
    contract_currency: str

    @property
    def rate_currencies(self) -> tuple[str, ...]:
        """The currencies whose NBP rate (1 unit in zł) converting the price takes: the foreign one of
        the two, or both for EUR on CHF and CHF on EUR (the price's first)."""
        return tuple(c for c in (self.currency, self.contract_currency) if c != PLN)


@dataclass(frozen=True)
class PriceConversion:
    price: Price
    rates: tuple[Decimal, ...]  # zł for 1 unit of each of price.rate_currencies, in that order
    rate_date: date

    def rate_of(self, currency: str) -> Decimal:
        return dict(zip(self.price.rate_currencies, self.rates, strict=True)).get(currency, Decimal(1))

    @property
    def converted(self) -> Decimal:
        # Truncating the quotient (never up) keeps which side of half a grosz it lies on: to_money then
        # rounds half-up once, as the page's integer preview does.
        with localcontext() as context:
            context.prec, context.rounding = 40, ROUND_DOWN
            exact = (
                self.price.amount
                * self.rate_of(self.price.currency)
                / self.rate_of(self.price.contract_currency)
            )
        return to_money(exact)

    def to_data(self) -> dict:
        return {
            "amount": str(self.price.amount),
            "currency": self.price.currency,
            "rates": {c: str(r) for c, r in zip(self.price.rate_currencies, self.rates, strict=True)},
            "rate_date": self.rate_date.isoformat(),
            "converted": str(self.converted),
            "contract_currency": self.price.contract_currency,
        }


def least_converted(price: Price) -> Decimal:
    """The least the price can become at the rates an approval accepts (PLAUSIBLE_RATES, inputs.py refuses others): its own
    currency's rate the lowest, the contract's the highest. Above a contract's bound, no approval takes it."""
    low, high = PLAUSIBLE_RATES
    rates = tuple(low if currency == price.currency else high for currency in price.rate_currencies)
    return PriceConversion(price, rates, rate_date=date.min).converted


def formula(price: Price, rates: Sequence[str], converted: str, *, lang: str = "pl") -> str:
    """`1 000,00 zł ÷ 4,2500 zł/EUR = 235,29 EUR` from formatted rates and amount (the page's preview
    passes placeholders it fills in while the rates are typed)."""
    per = {
        c: f"{rate}{NBSP}{currency_symbol(PLN, lang=lang)}/{c}"
        for c, rate in zip(price.rate_currencies, rates, strict=True)
    }
    parts = [format_money(price.amount, price.currency, lang=lang)]
    if price.currency != PLN:
        parts.append(f"× {per[price.currency]}")
    if price.contract_currency != PLN:
        parts.append(f"÷ {per[price.contract_currency]}")
    return " ".join([*parts, f"= {converted}{NBSP}{currency_symbol(price.contract_currency, lang=lang)}"])


def conversion_line(data: dict, *, lang: str = "pl") -> str:
    """The sentence of a stored conversion under the decision and in the decision letter."""
    with translation.override(lang):
        return _("Price converted to the contract's currency: %(conversion)s.") % {
            "conversion": conversion_text(data, lang=lang)
        }


def conversion_text(data: dict, *, lang: str = "pl") -> str:
    """A stored conversion (PriceConversion.to_data) as the decision, its history row and letter say it:
    `1 000,00 zł ÷ 4,2500 zł/EUR = 235,29 EUR (NBP table A of 27.11.2026)`, in `lang`."""
    rate_date = format_date(date.fromisoformat(data["rate_date"]), lang=lang)
    with translation.override(lang):
        if "rates" not in data:  # approved before the NBP way: one rate, price's currency in contract's
            return _("%(amount)s → %(converted)s at %(rate)s (NBP, %(date)s)") % {
                "amount": format_money(data["amount"], data["currency"], lang=lang),
                "converted": format_money(data["converted"], data["contract_currency"], lang=lang),
                "rate": format_rate(data["rate"], lang=lang),
                "date": rate_date,
            }
        price = Price(Decimal(data["amount"]), data["currency"], data["contract_currency"])
        rates = [format_rate(data["rates"][c], lang=lang) for c in price.rate_currencies]
        said = formula(price, rates, format_amount(data["converted"], lang=lang), lang=lang)
        return _("%(formula)s (NBP table A of %(date)s)") % {"formula": said, "date": rate_date}


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


def rate_asked(currency: str, price: Price) -> str:
    """The field error of a rate left out: which currency's NBP rate, and why."""
    return _(
        "Enter the NBP rate of 1 %(currency)s in PLN: the price is in %(price_currency)s, the contract in "
        "%(contract_currency)s."
    ) % {"currency": currency, "price_currency": price.currency, "contract_currency": price.contract_currency}


def record_conversion(
    portal_request: PortalRequest,
    *,
    decision: str,
    exchange_rate: Decimal | None = None,
    contract_rate: Decimal | None = None,
    rate_date: date | None = None,
) -> PriceConversion | None:
    """At a decision on the locked request: an approval converts its foreign price at the staff's NBP
    rates and keeps the conversion in its form_data (the caller saves it with the step). Field errors: a
    rate missing where the price needs it, or given where nothing takes it (no approval, no foreign price,
    a second rate where one converts)."""
    typed = {"exchange_rate": exchange_rate, "contract_rate": contract_rate}
    price = price_to_convert(portal_request) if decision == "approve" else None
    if price is None:
        if any(value is not None for value in (*typed.values(), rate_date)):
            message = (
                _("The price is in the contract's currency: approve it without an exchange rate.")
                if decision == "approve"
                else _("Only an approval takes an exchange rate.")
            )
            named = [name for name, value in typed.items() if value is not None] or ["exchange_rate"]
            raise PortalValidationError(message, fields={name: [message] for name in named})
        return None
    # Field → the currency whose rate it takes: exchange_rate always, contract_rate for EUR↔CHF only.
    asked = dict(zip(RATE_INPUTS, price.rate_currencies, strict=False))
    errors = {name: [rate_asked(currency, price)] for name, currency in asked.items() if typed[name] is None}
    if contract_rate is not None and "contract_rate" not in asked:
        errors["contract_rate"] = [_("One rate converts this price: leave the second rate empty.")]
    if rate_date is None:
        errors["rate_date"] = [_("Enter the date of the exchange rate.")]
    if errors:
        raise PortalValidationError(fields=errors)
    conversion = PriceConversion(price, tuple(typed[name] for name in asked), rate_date)
    portal_request.form_data = {**portal_request.form_data, CONVERSION_KEY: conversion.to_data()}
    return conversion
