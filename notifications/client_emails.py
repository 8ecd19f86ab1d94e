"""The e-mails of a company's people: its portal users' (a request's stage, question, reminder, decision,
comment or auto-cancel, an answered message, the welcome) and those of a request's contact person who has
no account (the question and its reminder, with a reply link, and the auto-cancel; no portal link)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from backend.accounts.activation import activation_url
from backend.accounts.models import User
from backend.clients.models import ClientMembership
from backend.core import mail
from backend.core.mail import absolute_url
from backend.core.money import format_date
from notifications.batch_reads import BatchReads, request_of_event
from notifications.recipients import (
    AUTO_CANCEL_CONTACT_TEMPLATE,
    AUTO_CANCEL_TEMPLATE,
    CONTACT_ADDRESS_TEMPLATES,
    REPLY_MISSED_TEMPLATE,
)
from notifications.texts import (
    SUBJECT_CHARS,
    message_answered_title,
    payload_date_text,
    request_words,
    subject_decision,
)
from notifications.waiting_emails import REPLY_LINK_TEMPLATES, WAITING_TEMPLATES, reply_link, wait_context

AUTO_CANCEL_TEMPLATES = {AUTO_CANCEL_TEMPLATE, AUTO_CANCEL_CONTACT_TEMPLATE}

# A portal user's e-mails about a request or a thread of one company: named for a user of several.
COMPANY_NAMED_TEMPLATES = {
    AUTO_CANCEL_TEMPLATE,
    "stage_changed",
    REPLY_MISSED_TEMPLATE,
    "waiting_for_client",
    "reminder",
    "decided",
    "comment",
    "message_answered",
}


# A client's e-mails about one request: their subject names its contract (when it has one), and a user
# who is not its submitter (named as its contact person) is told whose request it is.
CLIENT_REQUEST_TEMPLATES = {
    *AUTO_CANCEL_TEMPLATES,
    "stage_changed",
    REPLY_MISSED_TEMPLATE,
    "waiting_for_client",
    *CONTACT_ADDRESS_TEMPLATES.values(),
    "reminder",
    "decided",
    "comment",
}


def client_context(delivery, request_number) -> dict:
    """What a client's or contact person's e-mail says beyond the delivery's number, stage and decision,
    by template: its dates, the reply link and the wait's deadline, the company (for a user of several),
    the request's contract, noun and submitter, the welcome's links. `request_number`: the e-mail's."""
    event = delivery.event
    payload = event.payload or {}
    template = delivery.template
    context: dict = {}
    with translation.override(mail.email_language(delivery.recipient)):
        if template == "comment" and payload.get("deadline_to"):
            context["deadline_to"] = payload_date_text(payload["deadline_to"])
        if template == "reminder" and payload.get("offer_expired_on"):
            context["offer_expired_on"] = payload_date_text(payload["offer_expired_on"])
        if template == REPLY_MISSED_TEMPLATE:  # the days of the process's no-reply row
            dates = BatchReads().reply_missed(event)
            context["reply_by"] = payload_date_text(dates.get("reply_by", ""))
            context["deadline"] = payload_date_text(dates.get("deadline", ""))
        if template == "message_answered":
            # The subject line says what the portal's notice says, without its full stop.
            context["title"] = message_answered_title(payload).removesuffix(".")
            context["thread_subject"] = Truncator(str(payload.get("subject") or "")).chars(SUBJECT_CHARS)
            context["final"] = bool(payload.get("final"))
    if template in REPLY_LINK_TEMPLATES:
        context.update(reply_link(delivery))
    if template in AUTO_CANCEL_TEMPLATES:
        context.update(_auto_cancel_context(delivery, mail.email_language(delivery.recipient)))
    if template in {*CONTACT_ADDRESS_TEMPLATES.values(), AUTO_CANCEL_CONTACT_TEMPLATE}:
        # The contact person has no account: no portal link; the reply link lets them answer this once.
        context["link"] = ""
        context["client_name"] = event.client.name if event.client_id else ""
    if template in WAITING_TEMPLATES:
        context.update(wait_context(delivery))
    if template in COMPANY_NAMED_TEMPLATES and event.client_id and _in_several(delivery.recipient):
        # Its link opens the company active in the portal, maybe another one: the e-mail says whose it is.
        context["company_name"] = event.client.name
    if template in CLIENT_REQUEST_TEMPLATES:
        context.update(_client_request_context(delivery, request_number))
    if template == "welcome":
        context["activation_url"] = activation_url(delivery.recipient)
        context["login_url"] = absolute_url(reverse("login"))
        context["client_name"] = event.client.name if event.client_id else ""
    return context


def _auto_cancel_context(delivery, lang: str) -> dict:
    """An auto-cancel's days (`asked_on`: the unanswered question's, `cancelled_on`) and `again_url`, the
    form of a new request of the same kind and contract (a portal user's only)."""
    from backend.requests_app.endings import request_ending

    portal_request = request_of_event(delivery.event)
    ending = request_ending(portal_request) if portal_request is not None else None
    if ending is None:
        return {}
    query = f"?kind={portal_request.kind}"
    if portal_request.contract_id is not None:
        query += f"&contract={portal_request.contract_id}"
    return {
        "asked_on": format_date(ending.asked_on, lang=lang) if ending.asked_on else "",
        "cancelled_on": format_date(ending.on, lang=lang) if ending.on else "",
        "again_url": absolute_url(reverse("request-new") + query) if delivery.recipient is not None else "",
    }


def _client_request_context(delivery, request_number) -> dict:
    """`contract_number` of the e-mail's request ("" without a contract), `request_ref` (its number, with
    the contract's when it has one), `request_noun`, `noun_context`, `complaint` and `subject_decision`
    (the subject's word for it, the context of sentences agreeing with it, whether the body names a
    complaint, and its decision in words agreeing with the noun: texts.request_words) and
    `submitter_name`, the person whose request it is, for a recipient who did not submit it ("" for the
    submitter)."""
    from backend.contracts.models import Contract

    portal_request = request_of_event(delivery.event)
    payload = delivery.event.payload or {}
    recipient = delivery.recipient
    number = ""
    submitter_name = ""
    if portal_request is not None:
        if portal_request.contract_id is not None:
            contract = Contract.objects.filter(pk=portal_request.contract_id).values_list("number", flat=True)
            number = contract.first() or ""
        if recipient is not None and recipient.pk != portal_request.submitted_by_id:
            submitter = User.objects.get(pk=portal_request.submitted_by_id)
            submitter_name = submitter.get_full_name() or submitter.email
    kind = portal_request.kind if portal_request is not None else None
    with translation.override(mail.email_language(recipient)):
        # The subjects say "{{ request_noun }} {{ number }}: …" with `request_ref` as the number.
        request_ref = (
            _("%(number)s (contract %(contract)s)") % {"number": request_number, "contract": number}
            if number
            else request_number
        )
        return {
            "contract_number": number,
            "submitter_name": submitter_name,
            "request_ref": request_ref,
            **request_words(kind),
            "subject_decision": subject_decision(payload.get("decision") or payload.get("status"), kind),
        }


def _in_several(user: User | None) -> bool:
    """Does the user act for more than one company (the header's switcher)?"""
    if user is None:
        return False
    return ClientMembership.objects.filter(user=user, status=ClientMembership.Status.ACTIVE).count() > 1
