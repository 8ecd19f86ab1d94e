"""The buyout quote on a request's pages: the client's counter-offer answer, the staff's counter form."""

from __future__ import annotations

from django import template
from django.utils import timezone

from backend.contracts.buyout_pdf import quote_lines
from backend.contracts.models import BuyoutQuote
from backend.core.money import format_money
from backend.requests_app.models import OPEN_STATUSES

register = template.Library()


def _quote_of(portal_request) -> BuyoutQuote | None:
    quote_id = (portal_request.form_data or {}).get("quote_id")
    if portal_request.kind != "early_termination" or not quote_id:
        return None
    return BuyoutQuote.objects.select_related("contract").filter(pk=quote_id).first()


def _panel(portal_request, lang: str) -> dict:
    quote = _quote_of(portal_request)
    if quote is None:
        return {"quote": None}
    lang = "en" if (lang or "pl").startswith("en") else "pl"
    today = timezone.localdate()
    status = quote.current_status(today)
    counter_pending = quote.counter_pending
    return {
        "quote": quote,
        "portal_request": portal_request,
        "lines": quote_lines(quote, lang=lang),
        "total": format_money(quote.total, quote.currency, lang=lang),
        "status_label": BuyoutQuote.Status(status).label,
        "counter_pending": counter_pending,
        # Past its date a counter-offer can only be declined (answer_counter refuses to accept it); the
        # client's reply takes the request back to staff for a new one (bpmn/early_termination.bpmn).
        "counter_expired": quote.counter_expired(today),
        # A counter-offer is news while the request is open, and the binding total once accepted; a request
        # ended otherwise (withdrawn, rejected, no reply) leaves nothing of it to act on.
        "show_counter": quote.counter_total is not None
        and (portal_request.status in OPEN_STATUSES or quote.status == BuyoutQuote.Status.ACCEPTED),
    }


@register.simple_tag
def buyout_counter_wait(portal_request, client_wait) -> dict | None:
    """`{% buyout_counter_wait portal_request client_wait as counter %}`: the counter-offer a request waiting
    for the client asks it to answer (None without one), for the waiting banner: its `valid_until`, whether
    that day has `passed`, and whether it comes `sooner` than the wait's reply-by day (the banner then names
    it: the offer box's "valid until 14.12" against the wait's "reply by 29.12" read as two deadlines).
    The wait's own timers stay as they are (bpmn/early_termination.bpmn)."""
    if not portal_request.waiting_for_client:
        return None
    quote = _quote_of(portal_request)
    if quote is None or not quote.counter_pending or quote.counter_valid_until is None:
        return None
    reply_by = client_wait.reply_by_day if client_wait is not None else None
    return {
        "valid_until": quote.counter_valid_until,
        "passed": quote.counter_valid_until < timezone.localdate(),
        "sooner": reply_by is None or quote.counter_valid_until < reply_by,
    }


@register.inclusion_tag("portal_ui/requests/_buyout_quote.html", takes_context=True)
def buyout_client_panel(context, portal_request) -> dict:
    """`{% buyout_client_panel portal_request %}`: the quote, and the counter-offer to accept or decline."""
    panel = _panel(portal_request, context.get("LANGUAGE_CODE", "pl"))
    panel["can_answer"] = panel.get("counter_pending") and portal_request.waiting_for_client
    panel["can_accept"] = panel["can_answer"] and not panel.get("counter_expired")
    panel["csrf_token"] = context.get("csrf_token")
    return panel


@register.inclusion_tag("portal_ui/staff/_buyout_counter.html", takes_context=True)
def buyout_staff_panel(context, portal_request, can_decide=False) -> dict:
    """`{% buyout_staff_panel portal_request can_decide %}`: the quote and the counter-offer form."""
    panel = _panel(portal_request, context.get("LANGUAGE_CODE", "pl"))
    panel["can_decide"] = can_decide
    panel["csrf_token"] = context.get("csrf_token")
    return panel
