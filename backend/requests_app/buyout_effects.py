"""The early termination request (bpmn/early_termination.bpmn): its submit data and its service tasks.

The request carries the id of a stored quote (backend/contracts/buyout_services.py). The service tasks
run inside the engine step's transaction: at submit the quote is reserved, a staff counter-offer is
recorded on it, the client's answer to a counter-offer is read for the gateway, approval makes the
quote binding and ends the contract on its effective date, a rejection or time-out releases it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from backend.contracts import buyout_services
from backend.contracts.models import LOAN_EXEMPTION_BASIS, BuyoutQuote
from backend.core.filters import id_field
from backend.core.lessor import format_account, get_lessor
from backend.core.money import format_date, format_money
from backend.requests_app.models import PortalRequest, RequestKind
from workflows.service_tasks import declare_domain_errors, register

# A refused step (expired quote, quote already used) is the caller's error to show, not an incident.
declare_domain_errors(buyout_services.QuoteRefused, buyout_services.QuoteTaken)


class EarlyTerminationDataSerializer(serializers.Serializer):
    """`data` of an early termination submit: the quote, which must be the client's free, valid offer."""

    quote_id = id_field()

    def validate_quote_id(self, value: int) -> int:
        contract = self.context.get("contract")
        quote = BuyoutQuote.objects.filter(pk=value, client=self.context["client"]).first()
        if quote is None or contract is None or quote.contract_id != contract.pk:
            raise serializers.ValidationError(_("Choose a quote of this contract."))
        status = quote.current_status(timezone.localdate())
        if status == BuyoutQuote.Status.EXPIRED:
            raise serializers.ValidationError(_("The quote has expired: ask for a new one."))
        if status != BuyoutQuote.Status.OFFERED:
            raise serializers.ValidationError(_("This quote has already been used for a request."))
        return value


def quote_of(portal_request: PortalRequest, *, lock: bool = True) -> BuyoutQuote:
    quote_id = (portal_request.form_data or {}).get("quote_id")
    if lock:
        return buyout_services.lock_quote(quote_id)
    return BuyoutQuote.objects.get(pk=quote_id)


def request_for_quote(quote: BuyoutQuote) -> PortalRequest | None:
    """The early termination request that holds the quote (the newest, should there be several)."""
    return (
        PortalRequest.objects.filter(kind="early_termination", client_id=quote.client_id)
        .filter(form_data__quote_id=quote.pk)
        .order_by("-pk")
        .first()
    )


def expired_counter_offer(portal_request: PortalRequest, *, today: date | None = None) -> BuyoutQuote | None:
    """The counter-offer the request waits for the client to answer, when its validity date has passed
    (None otherwise, and for every other kind): the client can no longer accept it."""
    quote_id = (portal_request.form_data or {}).get("quote_id")
    if portal_request.kind != RequestKind.EARLY_TERMINATION or not quote_id:
        return None
    quote = BuyoutQuote.objects.filter(pk=quote_id).first()
    if quote is None or not quote.counter_expired(today or timezone.localdate()):
        return None
    return quote


def _request(data: dict) -> PortalRequest:
    return PortalRequest.objects.select_related("contract").get(pk=data["request_id"])


def quote_summary(quote: BuyoutQuote) -> list[str]:
    """The lines of the decision document (Polish, like the other decisions): the quote's figures, the
    binding amount net / VAT / gross, and when and where to pay it (the lessor's account of the invoices)."""
    money = lambda value: format_money(value, quote.currency)  # noqa: E731
    lessor = get_lessor()
    effective = format_date(quote.effective_date)
    vat = f"zw ({LOAN_EXEMPTION_BASIS})" if quote.is_vat_exempt else None  # a loan, as its invoices
    return [
        f"Wycena wykupu: {quote.number}; umowa kończy się z dniem {effective} (do tego dnia pozostaje aktywna).",
        f"Kapitał pozostały: {money(quote.capital_remaining)}; wartość końcowa: {money(quote.residual_value)}.",
        f"Odsetki do dnia zakończenia: {money(quote.interest)}; opłata: {money(quote.fee)}; "
        f"VAT: {vat or money(quote.vat)}.",
        f"Kwota wykupu (wiążąca): netto {money(quote.binding_net)}, VAT {vat or money(quote.binding_vat)}, "
        f"brutto {money(quote.binding_total)}.",
        f"Termin płatności: {effective}; przelewem na rachunek {format_account(lessor.bank_account)} "
        f"({lessor.bank_name}), tytułem: {quote.number}.",
        "Raty wymagalne do dnia zakończenia umowy płatne są zgodnie z harmonogramem.",
    ]


@register("reserve_buyout_quote")
def reserve_buyout_quote(params: dict, data: dict) -> dict:
    portal_request = _request(data)
    quote = quote_of(portal_request)
    buyout_services.reserve_quote(quote, contract_id=portal_request.contract_id)
    return {"quote_id": quote.pk, "number": quote.number}


@register("record_buyout_counter")
def record_buyout_counter(params: dict, data: dict) -> dict:
    quote = quote_of(_request(data))
    try:
        total = Decimal(str(data.get("counter_total", "")).replace(",", "."))
    except InvalidOperation:
        raise buyout_services.QuoteRefused(fields={"counter_total": [_("Enter an amount.")]}) from None
    buyout_services.counter_quote(quote, total=total, reason=data.get("counter_reason", ""))
    return {
        "counter_total": str(quote.counter_total),
        "valid_until": quote.counter_valid_until.isoformat(),
        "summary": [f"Kontroferta: {format_money(quote.counter_total, quote.currency)}."],
    }


@register("read_buyout_response")
def read_buyout_response(params: dict, data: dict) -> dict:
    """The gateway after the client's reply: "declined" ends the request, anything else goes to staff."""
    quote = quote_of(_request(data), lock=False)
    return {"response": quote.counter_response}


@register("release_buyout_quote")
def release_buyout_quote(params: dict, data: dict) -> dict:
    """After staff's rejection (the review's `decision`) or the no-reply timer's cancel."""
    quote = quote_of(_request(data))
    buyout_services.release_quote(quote, rejected=data.get("decision") == "reject")
    return {"status": quote.status}


def release_quote_of_ended_request(portal_request: PortalRequest) -> None:
    """A withdrawn or cancelled early termination request frees its quote at once (rejection and time-out
    release it in the process); the quote is then no longer binding and cannot be used again."""
    if portal_request.kind != RequestKind.EARLY_TERMINATION:
        return
    quote_id = (portal_request.form_data or {}).get("quote_id")
    quote = BuyoutQuote.objects.select_for_update().filter(pk=quote_id).first() if quote_id else None
    if quote is not None:
        buyout_services.release_quote(quote)


@register("apply_early_termination")
def apply_early_termination(params: dict, data: dict) -> dict:
    quote = quote_of(_request(data))
    contract = buyout_services.apply_buyout(quote)
    return {
        "quote_id": quote.pk,
        "binding_total": str(quote.accepted_total),
        "effective_date": quote.effective_date.isoformat(),
        "contract_status": contract.status,
        "summary": quote_summary(quote),
    }
