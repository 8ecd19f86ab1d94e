"""The e-mails that wait for the client's reply (the question's, its reminder's): sent only while the
request still waits, with the reply-by line and, for the request's contact person, a reply link."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from backend.core import mail
from backend.core.mail import absolute_url
from backend.core.money import format_date
from notifications.batch_reads import request_of_event
from notifications.email_rendering import EmailNotNeeded
from notifications.recipients import CONTACT_ADDRESS_TEMPLATES

# "We are waiting for your reply" e-mails and their reminders: the request's contact person gets a fresh
# single-use reply link in each, working until the wait ends (reply_links.reply_link_expiry).
REPLY_LINK_TEMPLATES = {"waiting_for_client", *CONTACT_ADDRESS_TEMPLATES.values(), "reminder"}
# E-mails asking for the client's reply: sent only while the request still waits for that reply.
WAITING_TEMPLATES = REPLY_LINK_TEMPLATES


def refuse_outdated_wait(delivery) -> None:
    """Raise EmailNotNeeded for a "we are waiting for your reply" e-mail of a request that no longer waits
    for that reply: ended, back with staff, or waiting again for a newer question (which has its own)."""
    from backend.requests_app.client_waits import wait_end_has_come
    from backend.requests_app.models import RequestEvent, RequestStatus

    if delivery.template not in WAITING_TEMPLATES:
        return
    portal_request = request_of_event(delivery.event)  # read now, as the worker sends
    if portal_request is None:
        raise EmailNotNeeded("The request of the e-mail no longer exists.")
    if portal_request.status != RequestStatus.WAITING_FOR_CLIENT or wait_end_has_come(portal_request):
        raise EmailNotNeeded(
            f"Request {portal_request.number} no longer waits for the client's reply "
            f"(status {portal_request.status})."
        )
    asked_again = portal_request.events.filter(
        kind=RequestEvent.Kind.STAGE_CHANGED,
        status_to=RequestStatus.WAITING_FOR_CLIENT,
        created_at__gt=delivery.event.created_at,
    )
    if asked_again.exists():
        raise EmailNotNeeded(
            f"Request {portal_request.number} was answered and waits for a newer question's reply now."
        )


def wait_context(delivery) -> dict:
    """What a "we are waiting for your reply" e-mail says of the deadline, in the recipient's language:
    `reply_by_text` (reply by which day and what follows, client_waits.ClientWait), `cancel_on` (the day the
    process cancels the request, its day-30 timer; "" when it has none) and `complaint` (never cancelled)."""
    from backend.requests_app.client_waits import client_wait
    from backend.requests_app.models import RequestKind

    portal_request = request_of_event(delivery.event)
    wait = client_wait(portal_request) if portal_request is not None else None
    lang = mail.email_language(delivery.recipient)
    with translation.override(lang):
        reply_by_text = wait.reply_by_text() if wait is not None else ""
    return {
        "reply_by_text": reply_by_text,
        "cancel_on": format_date(wait.cancel_at, lang=lang) if wait and wait.cancel_at else "",
        "complaint": portal_request is not None and portal_request.kind == RequestKind.COMPLAINT,
    }


def reply_link(delivery) -> dict:
    """`reply_link`, a reply link for the request's contact person (only them; "" for anyone else), and
    `reply_link_until`, the last day it works in the recipient's format (the link's own expiry)."""
    from backend.requests_app.reply_links import issue_reply_link

    address = delivery.recipient.email if delivery.recipient is not None else delivery.address
    portal_request = request_of_event(delivery.event)  # of the event's own client only
    if portal_request is None or not address or address.lower() != portal_request.contact_email.lower():
        return {"reply_link": ""}
    issued = issue_reply_link(portal_request=portal_request, email=address)
    if issued is None:
        return {"reply_link": ""}
    return {
        "reply_link": absolute_url(reverse("reply-by-link", args=[issued.token])),
        "reply_link_until": format_date(issued.valid_through, lang=mail.email_language(delivery.recipient)),
    }
