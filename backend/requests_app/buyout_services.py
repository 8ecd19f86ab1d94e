"""Writes of the early termination request beyond the generic ones: submit from a quote, answer a
counter-offer, counter a quote. Each goes through the request services and the BPMN engine.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.access_rules import restrict
from backend.clients.models import Client
from backend.contracts import buyout_services
from backend.core.exceptions import NotFound, TaskNotReady
from backend.core.language import in_each_language
from backend.core.money import format_money
from backend.requests_app import history, services
from backend.requests_app.buyout_effects import request_for_quote
from backend.requests_app.models import PortalRequest, RequestKind, RequestStatus
from backend.requests_app.validation import RequestSubmitInputSerializer
from workflows.incidents import records_incidents

KIND = RequestKind.EARLY_TERMINATION


def submit_buyout_request(
    *,
    user: User,
    client: Client,
    contract_id: int,
    quote_id: int,
    contact: dict,
    declarations: dict,
    idempotency_key: str = "",
    fingerprint: str = "",
) -> tuple[PortalRequest, bool]:
    """ "Złóż wniosek" on a quote: the generic submit of kind early_termination with the quote attached.

    Checked by the same serializer as POST /api/requests/, so both ways refuse the same input.
    """
    serializer = RequestSubmitInputSerializer(
        data={
            "kind": KIND,
            "contract_id": contract_id,
            "contact": contact,
            "declarations": declarations,
            "data": {"quote_id": quote_id},
        },
        context={"client": client},
    )
    serializer.is_valid(raise_exception=True)
    validated = serializer.validated_data
    return services.submit_request(
        user=user,
        client=client,
        kind=KIND,
        contract=validated["contract"],
        contact=dict(validated["contact"]),
        declarations=validated["declarations"],
        data=validated["data"],
        attachment_ids=[],
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )


def _request_waiting_for_answer(quote_id: int, client: Client) -> PortalRequest:
    quotes = buyout_services.BuyoutQuote.objects.filter(pk=quote_id, client=client)
    quote = restrict(quotes, client).first()  # only the contracts the acting user may see
    portal_request = request_for_quote(quote) if quote is not None else None
    if portal_request is None:
        raise NotFound()
    return portal_request


@records_incidents
@transaction.atomic
def answer_counter_offer(
    *, user: User, client: Client, quote_id: int, accept: bool, message: str = ""
) -> PortalRequest:
    """The client accepts or declines the counter-offer: recorded on the quote, then sent as the reply
    to the waiting client task (accepted goes back to staff to approve, declined ends the request)."""
    found = _request_waiting_for_answer(quote_id, client)
    # Request first, then quote: the same order as a staff step, so two steps never wait on each other.
    locked = PortalRequest.objects.select_for_update().filter(pk=found.pk, client=client).first()
    if locked is None or locked.status != RequestStatus.WAITING_FOR_CLIENT:
        raise TaskNotReady()
    quote = buyout_services.lock_quote(quote_id, client_id=client.pk)
    buyout_services.answer_counter(quote, accept=accept)
    if accept:
        text = _("I accept the counter-offer of %(total)s.") % {
            "total": format_money(quote.counter_total, quote.currency)
        }
    else:
        text = _("I decline the counter-offer.")
    if message.strip():
        text = f"{text}\n{message.strip()}"
    return services.reply_to_request(user=user, portal_request=locked, message=text, attachment_ids=[])


@records_incidents
@transaction.atomic
def counter_offer(*, staff: User, request_id: int, total: Decimal, reason: str) -> PortalRequest:
    """Staff answer the request with another total (the staff task's "counter" decision); the client
    sees it as the question the request waits on. Returns the request after the step, with
    `claimed_in_step` (services.complete_staff_task)."""
    portal_request = PortalRequest.objects.filter(pk=request_id, kind=KIND).first()
    if portal_request is None:
        raise NotFound()
    try:
        countered = services.complete_staff_task(
            staff=staff,
            portal_request=portal_request,
            data={"decision": "counter", "counter_total": f"{total:.2f}", "counter_reason": reason},
        )
    except buyout_services.QuoteRefused as refused:
        # The process calls the amount counter_total (the generic staff task's field); this action, total.
        if "counter_total" in refused.fields:
            refused.fields["total"] = refused.fields.pop("counter_total")
        raise
    currency = countered.contract.currency if countered.contract else "PLN"
    # In Polish, the contract's language, whatever the staff member's, with the English beside it: each
    # reader gets the amount in their own words and format (request_display.history_message).
    texts = in_each_language(
        lambda lang: (
            _("Counter-offer: %(total)s. %(reason)s")
            % {"total": format_money(total, currency, lang=lang), "reason": reason}
        )
    )
    history.question_asked(
        countered,
        staff=staff,
        question=texts["pl"],
        data={"counter_total": f"{total:.2f}", "message_en": texts["en"]},
    )
    return countered
