"""Build the e-mails of deliveries: HTML and text, in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from backend.accounts.account_emails import AccountEmail
from backend.accounts.activation import activation_url, password_reset_url
from backend.accounts.models import User
from backend.accounts.second_factor import requires_second_factor
from backend.clients.models import Client, ClientMembership
from backend.core import mail
from backend.core.mail import absolute_url
from backend.core.money import format_date, format_datetime
from notifications.batch_reads import BatchReads, request_of_event
from notifications.recipients import (
    AUTO_CANCEL_CONTACT_TEMPLATE,
    AUTO_CANCEL_TEMPLATE,
    CONTACT_ADDRESS_TEMPLATES,
    EMAIL_KINDS,
    REPLY_MISSED_TEMPLATE,
    REQUEST_ASSIGNED_TEMPLATE,
    STAFF_OVERDUE_TEMPLATE,
    TASK_CANCELLED_TEMPLATE,
    TASK_TEMPLATE,
)
from notifications.texts import (
    SUBJECT_CHARS,
    Versions,
    decision_label,
    message_answered_title,
    on_message,
    payload_date_text,
    request_words,
    stage_label,
    subject_decision,
    subject_path,
)
from notifications.waiting_emails import (
    REPLY_LINK_TEMPLATES,
    WAITING_TEMPLATES,
    EmailNotNeeded,
    refuse_outdated_wait,
    reply_link,
    wait_context,
)

TEMPLATE_DIR = "notifications/email"


def render_email(
    *, template: str, user: User | None, context: dict, message_id: str | None = None, address: str = ""
) -> EmailMultiAlternatives:
    """Render the notification e-mail `template` (a name in notifications/email/) in the user's language."""
    return mail.render_email(
        template=f"{TEMPLATE_DIR}/{template}",
        user=user,
        context=context,
        message_id=message_id,
        address=address,
    )


def _delivery_context(delivery, versions: Versions | None = None) -> dict:
    event = delivery.event
    payload = event.payload or {}
    context = {
        "number": payload.get("number") or payload.get("request_id") or event.subject_id,
        "link": absolute_url(subject_path(event.kind, event.subject_id, payload)),
    }
    with translation.override(mail.email_language(delivery.recipient)):
        context["decision"] = decision_label(payload.get("decision") or payload.get("status"))
        context["stage"] = stage_label(payload.get("stage"), payload, versions=versions)
        if delivery.template == "comment" and payload.get("deadline_to"):
            context["deadline_to"] = payload_date_text(payload["deadline_to"])
        if delivery.template == "reminder" and payload.get("offer_expired_on"):
            context["offer_expired_on"] = payload_date_text(payload["offer_expired_on"])
        if delivery.template in SUPERVISOR_TEMPLATES:
            context.update(_complaint_context(payload))
        if delivery.template in STAFF_REQUEST_TEMPLATES:
            context.update(_staff_request_words(payload.get("request_id") or event.subject_id))
        if delivery.template == REPLY_MISSED_TEMPLATE:  # the days of the process's no-reply row
            dates = BatchReads().reply_missed(event)
            context["reply_by"] = payload_date_text(dates.get("reply_by", ""))
            context["deadline"] = payload_date_text(dates.get("deadline", ""))
        if delivery.template == "message_answered":
            # The subject line says what the portal's notice says, without its full stop.
            context["title"] = message_answered_title(payload).removesuffix(".")
            context["thread_subject"] = Truncator(str(payload.get("subject") or "")).chars(SUBJECT_CHARS)
            context["final"] = bool(payload.get("final"))
    if delivery.template in REPLY_LINK_TEMPLATES:
        context.update(reply_link(delivery))
    if delivery.template in AUTO_CANCEL_TEMPLATES:
        context.update(_auto_cancel_context(delivery, mail.email_language(delivery.recipient)))
    if delivery.template in {*CONTACT_ADDRESS_TEMPLATES.values(), AUTO_CANCEL_CONTACT_TEMPLATE}:
        # The contact person has no account: no portal link; the reply link lets them answer this once.
        context["link"] = ""
        context["client_name"] = event.client.name if event.client_id else ""
    elif delivery.template in {"task_assigned", "task_cancelled"}:  # staff: the task page, the client
        request_id = payload.get("request_id") or event.subject_id
        context["link"] = absolute_url(reverse("staff-task-page", args=[request_id]))
        context["client_name"] = event.client.name if event.client_id else ""
    elif delivery.template == "new_message":
        thread_id = payload.get("thread_id") or event.subject_id
        context["link"] = _staff_thread_link(thread_id, on_message(payload.get("message_id")))
        context["client_name"] = event.client.name if event.client_id else ""
    elif delivery.template == "thread_assigned":
        context.update(_assigned_thread_context(payload.get("thread_id") or event.subject_id, payload))
    elif delivery.template == "request_assigned":
        context.update(_assigned_request_context(payload.get("request_id") or event.subject_id, payload))
    elif delivery.template == STAFF_OVERDUE_TEMPLATE:
        context.update(_overdue_request_context(payload, mail.email_language(delivery.recipient)))
    if delivery.template in WAITING_TEMPLATES:
        context.update(wait_context(delivery))
    if delivery.template in COMPANY_NAMED_TEMPLATES and event.client_id and _in_several(delivery.recipient):
        # Its link opens the company active in the portal, maybe another one: the e-mail says whose it is.
        context["company_name"] = event.client.name
    if delivery.template in CLIENT_REQUEST_TEMPLATES:
        context.update(_client_request_context(delivery, context["number"]))
    if delivery.template in SWITCHABLE_TEMPLATES and delivery.recipient is not None:
        # Whoever can switch this e-mail off is told where (Moje konto's e-mail notifications).
        context["preferences_url"] = absolute_url(reverse("account-page") + "#notification-preferences")
    if delivery.template == "welcome":
        context["activation_url"] = activation_url(delivery.recipient)
        context["login_url"] = absolute_url(reverse("login"))
        context["client_name"] = event.client.name if event.client_id else ""
    return context


AUTO_CANCEL_TEMPLATES = {AUTO_CANCEL_TEMPLATE, AUTO_CANCEL_CONTACT_TEMPLATE}


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
# E-mails a notification preference switches off (notifications/recipients.py: EMAIL_KINDS, the staff's).
SWITCHABLE_TEMPLATES = {
    *(template for template, _preference in EMAIL_KINDS.values()),
    AUTO_CANCEL_TEMPLATE,
    REPLY_MISSED_TEMPLATE,
    "task_assigned",
    "task_cancelled",
    "thread_assigned",
    "request_assigned",
    "new_message",
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


SUPERVISOR_TEMPLATES = {"complaint_escalated", "complaint_deadline_passed"}

# A staff member's e-mails about one request's task: their subject names it by its kind's noun.
STAFF_REQUEST_TEMPLATES = {
    REQUEST_ASSIGNED_TEMPLATE,
    STAFF_OVERDUE_TEMPLATE,
    TASK_TEMPLATE,
    TASK_CANCELLED_TEMPLATE,
}


def _staff_request_words(request_id) -> dict:
    """`request_noun`, `noun_context` and `complaint` of a staff e-mail's request (texts.request_words:
    "Complaint" or "Request", the sentences agreeing with it, the body's), in the active language: the
    recipient's."""
    from backend.requests_app.models import PortalRequest

    kind = PortalRequest.objects.filter(pk=request_id).values_list("kind", flat=True).first()
    return request_words(kind)


def _complaint_context(payload: dict) -> dict:
    """The staff page, client and deadline of an escalated complaint (the event has no client id)."""
    client = Client.objects.filter(pk=payload.get("client_id")).first()
    return {
        "link": absolute_url(reverse("staff-task-page", args=[payload.get("request_id")])),
        "client_name": client.name if client is not None else "",
        "deadline": payload_date_text(payload.get("deadline") or ""),
    }


def _assigned_thread_context(thread_id, payload: dict) -> dict:
    """The staff page, subject and client of a thread given to the recipient, and who gave it (the
    event has no client id: staff only)."""
    from backend.messaging.models import MessageThread

    thread = MessageThread.objects.select_related("client").filter(pk=thread_id).first()
    by = User.objects.filter(pk=payload.get("by_id")).first()
    return {
        "link": _staff_thread_link(thread_id),
        "thread_subject": thread.subject if thread is not None else "",
        "client_name": thread.client.name if thread is not None else "",
        "by_name": (by.get_full_name() or by.email) if by is not None else "",
    }


def _assigned_request_context(request_id, payload: dict) -> dict:
    """The staff task page, kind and client of a request given to the recipient, and who gave it (the
    event has no client id: staff only)."""
    from backend.requests_app.models import PortalRequest, RequestKind

    portal_request = PortalRequest.objects.select_related("client").filter(pk=request_id).first()
    by = User.objects.filter(pk=payload.get("by_id")).first()
    return {
        "link": absolute_url(reverse("staff-task-page", args=[request_id])),
        # The lazy label: rendered in the recipient's language.
        "kind": RequestKind(portal_request.kind).label if portal_request is not None else "",
        "client_name": portal_request.client.name if portal_request is not None else "",
        "by_name": (by.get_full_name() or by.email) if by is not None else "",
    }


def _staff_thread_link(thread_id, anchor: str = "") -> str:
    """The staff inbox page of the thread (the inbox list while that page does not exist), opened on a
    message by `anchor` (texts.on_message)."""
    for name, args, end in (("staff-message-page", [thread_id], anchor), ("staff-messages", [], "")):
        try:
            return absolute_url(reverse(name, args=args) + end)
        except NoReverseMatch:
            continue
    return absolute_url(reverse("staff-home"))


def _overdue_request_context(payload: dict, lang: str) -> dict:
    """The staff task page, kind and client of a request past its due time, and that time (the event has
    no client id: staff only)."""
    from backend.requests_app.models import PortalRequest, RequestKind

    request_id = payload.get("request_id")
    portal_request = PortalRequest.objects.select_related("client").filter(pk=request_id).first()
    due = parse_datetime(str(payload.get("due_at") or ""))
    return {
        "link": absolute_url(reverse("staff-task-page", args=[request_id])),
        "kind": RequestKind(portal_request.kind).label if portal_request is not None else "",
        "client_name": portal_request.client.name if portal_request is not None else "",
        "due": format_datetime(due, lang=lang) if due is not None else "",
    }


def _refuse_outdated_overdue(delivery) -> None:
    """Raise EmailNotNeeded for an overdue e-mail of a request no longer with staff at that due time
    (decided, sent to the client, or back with a new due time, which has its own e-mail)."""
    from backend.requests_app.models import PortalRequest, RequestStatus

    payload = delivery.event.payload or {}
    portal_request = PortalRequest.objects.filter(pk=payload.get("request_id")).first()
    due = portal_request.staff_due_at if portal_request is not None else None
    if (
        portal_request is None
        or portal_request.status != RequestStatus.IN_REVIEW
        or due is None
        or due.isoformat() != payload.get("due_at")
    ):
        raise EmailNotNeeded(f"Request {payload.get('number')} is no longer with staff past that due time.")


def _domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "portal.local"


# The account e-mails (backend/accounts/account_emails.py): the templates of the apps they are about.
ACCOUNT_EMAIL_TEMPLATES = {
    AccountEmail.PASSWORD_RESET: "accounts/email/password_reset",
    AccountEmail.ACTIVATION: "accounts/email/activation",
    AccountEmail.SECOND_FACTOR_RESET: "accounts/email/second_factor_reset",
    AccountEmail.SECOND_FACTOR_CHANGED: "accounts/email/second_factor_changed",
    AccountEmail.PASSWORD_CHANGED: "accounts/email/password_changed",
    AccountEmail.INVITATION: "clients/email/invitation",
}


def _account_email_context(delivery) -> dict:
    """The links of an account e-mail, made now: a one-time link is issued afresh at each attempt (a
    resend included) and stored nowhere; the user's state decides as it is when the e-mail goes."""
    user, payload = delivery.recipient, delivery.event.payload or {}
    login_url = absolute_url(reverse("login"))
    if delivery.template == AccountEmail.PASSWORD_RESET:
        return {"reset_url": password_reset_url(user)}
    if delivery.template == AccountEmail.ACTIVATION:
        return {"activation_url": activation_url(user)}
    if delivery.template == AccountEmail.SECOND_FACTOR_RESET:
        return {"must_enrol": requires_second_factor(user), "login_url": login_url}
    if delivery.template == AccountEmail.SECOND_FACTOR_CHANGED:
        # When: the event's time (written with the change), in the recipient's format.
        return {
            "change": payload.get("change", ""),
            "at": format_datetime(delivery.event.created_at, lang=mail.email_language(user)),
            "security_url": absolute_url(reverse("account-security")),
        }
    if delivery.template == AccountEmail.PASSWORD_CHANGED:
        # When: the event's time (written with the new password), Warsaw time in the recipient's format.
        return {
            "at": format_datetime(delivery.event.created_at, lang=mail.email_language(user)),
            "login_url": login_url,
        }
    client = Client.objects.get(pk=payload["client_id"])  # the invitation names the company
    to_accept = bool(payload.get("to_accept"))
    return {
        "client_name": client.name,
        "inviter": payload.get("inviter") or client.name,
        # Someone who had an account already logs in and accepts (backend/clients/members.py); someone who
        # has set a password already gets the login link only.
        "to_accept": to_accept,
        "activation_url": "" if to_accept or user.has_usable_password() else activation_url(user),
        "login_url": login_url,
    }


def build_email(delivery, *, versions: Versions | None = None) -> EmailMultiAlternatives:
    """Return the e-mail of a delivery; its Message-ID is fixed so a re-send is a recognisable duplicate.
    `versions`: the process versions of a batch's requests (texts.process_versions), read once. Raises
    EmailNotNeeded, sending nothing, when what the e-mail asks for is over by now."""
    if delivery.template == STAFF_OVERDUE_TEMPLATE:
        _refuse_outdated_overdue(delivery)
    refuse_outdated_wait(delivery)
    message_id = f"<delivery-{delivery.pk}@{_domain()}>"
    if delivery.template in ACCOUNT_EMAIL_TEMPLATES:
        return mail.render_email(
            template=ACCOUNT_EMAIL_TEMPLATES[delivery.template],
            user=delivery.recipient,
            context=_account_email_context(delivery),
            message_id=message_id,
        )
    return render_email(
        template=delivery.template,
        user=delivery.recipient,
        address=delivery.address,
        context=_delivery_context(delivery, versions),
        message_id=message_id,
    )


def send_digest_email(*, digest, content: dict) -> None:
    """Send a staff member's daily digest (open tasks, unanswered messages) with a per-day Message-ID."""
    lang = mail.email_language(digest.recipient)
    tasks = [
        {
            "number": line.request.number,
            "client": line.request.client.name,
            "link": absolute_url(reverse("staff-task-page", args=[line.request.pk])),
            "due": format_datetime(line.due_at, lang=lang),
            "complaint_deadline": format_date(line.complaint_deadline, lang=lang)
            if line.complaint_deadline
            else "",
            "overdue": line.overdue,
        }
        for line in content["tasks"]  # services.DigestTask
    ]
    threads = [
        {"subject": thread.subject, "client": thread.client.name, "link": _staff_thread_link(thread.pk)}
        for thread in content["threads"]
    ]
    render_email(
        template="staff_digest",
        user=digest.recipient,
        # The day in the recipient's date format (the portal's one formatter), like every date of the e-mails.
        context={
            "tasks": tasks,
            "threads": threads,
            "day": format_date(digest.day, lang=lang),
            "link": "",
            "preferences_url": absolute_url(reverse("account-page") + "#notification-preferences"),
        },
        message_id=f"<digest-{digest.recipient_id}-{digest.day:%Y%m%d}@{_domain()}>",
    ).send()
