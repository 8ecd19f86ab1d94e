"""The staff's e-mails: a task, thread or request given to them or back with them, a request past its due
time, a client's new message, a complaint escalated to the supervisors, and the daily digest. Each links
the staff pages and names the client (their events have no client id, or staff are no member of it)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime

from backend.accounts.models import User
from backend.clients.models import Client
from backend.core import mail
from backend.core.mail import absolute_url
from backend.core.money import format_date, format_datetime
from notifications.email_rendering import EmailNotNeeded, message_id_domain, render_email
from notifications.recipients import (
    NEW_MESSAGE_TEMPLATE,
    REQUEST_ASSIGNED_TEMPLATE,
    STAFF_OVERDUE_TEMPLATE,
    TASK_CANCELLED_TEMPLATE,
    TASK_TEMPLATE,
    THREAD_ASSIGNED_TEMPLATE,
)
from notifications.texts import on_message, payload_date_text, request_words

SUPERVISOR_TEMPLATES = {"complaint_escalated", "complaint_deadline_passed"}

# A staff member's e-mails about one request's task: their subject names it by its kind's noun.
STAFF_REQUEST_TEMPLATES = {
    REQUEST_ASSIGNED_TEMPLATE,
    STAFF_OVERDUE_TEMPLATE,
    TASK_TEMPLATE,
    TASK_CANCELLED_TEMPLATE,
}

# Every delivery e-mail of staff (the digest is no delivery's): staff_context says what it needs.
STAFF_TEMPLATES = {
    *SUPERVISOR_TEMPLATES,
    *STAFF_REQUEST_TEMPLATES,
    THREAD_ASSIGNED_TEMPLATE,
    NEW_MESSAGE_TEMPLATE,
}


def staff_context(delivery) -> dict:
    """What a staff e-mail (STAFF_TEMPLATES) says beyond the delivery's number, stage and decision: the
    staff page it links, the client and, by template, the request's noun, who gave the work, the due time
    or the complaint's deadline."""
    event = delivery.event
    payload = event.payload or {}
    template = delivery.template
    context: dict = {}
    with translation.override(mail.email_language(delivery.recipient)):
        if template in SUPERVISOR_TEMPLATES:
            context.update(_complaint_context(payload))
        if template in STAFF_REQUEST_TEMPLATES:
            context.update(_request_words(payload, payload.get("request_id") or event.subject_id))
    if template in {TASK_TEMPLATE, TASK_CANCELLED_TEMPLATE}:  # the task page, the client
        request_id = payload.get("request_id") or event.subject_id
        context["link"] = absolute_url(reverse("staff-task-page", args=[request_id]))
        context["client_name"] = event.client.name if event.client_id else ""
    elif template == NEW_MESSAGE_TEMPLATE:
        thread_id = payload.get("thread_id") or event.subject_id
        context["link"] = staff_thread_link(thread_id, on_message(payload.get("message_id")))
        context["client_name"] = event.client.name if event.client_id else ""
    elif template == THREAD_ASSIGNED_TEMPLATE:
        context.update(_assigned_thread_context(payload.get("thread_id") or event.subject_id, payload))
    elif template == REQUEST_ASSIGNED_TEMPLATE:
        context.update(_assigned_request_context(payload.get("request_id") or event.subject_id, payload))
    elif template == STAFF_OVERDUE_TEMPLATE:
        context.update(_overdue_request_context(payload, mail.email_language(delivery.recipient)))
    return context


def _request_words(payload: dict, request_id) -> dict:
    """`request_noun`, `noun_context` and `complaint` of a staff e-mail's request (texts.request_words:
    "Complaint" or "Request", the sentences agreeing with it, the body's), in the active language: the
    recipient's. The kind comes with the event (requests_app/outbox.py: `request_kind`, fixed at
    submission); an event written before events carried it reads it from the request."""
    if "request_kind" in payload:
        return request_words(payload["request_kind"])
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
        "link": staff_thread_link(thread_id),
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


def staff_thread_link(thread_id, anchor: str = "") -> str:
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


def refuse_outdated_overdue(delivery) -> None:
    """Raise EmailNotNeeded for an overdue e-mail of a request no longer with staff at that due time
    (decided, sent to the client, or back with a new due time, which has its own e-mail)."""
    from backend.requests_app.models import PortalRequest, RequestStatus

    if delivery.template != STAFF_OVERDUE_TEMPLATE:
        return
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
        {"subject": thread.subject, "client": thread.client.name, "link": staff_thread_link(thread.pk)}
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
        message_id=f"<digest-{digest.recipient_id}-{digest.day:%Y%m%d}@{message_id_domain()}>",
    ).send()
