"""The words of notices and e-mails, rendered in the reader's language from ids and codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backend.core.language import active_lang
from backend.core.models import OutboxEvent
from backend.core.money import format_date
from backend.core.prepared_reads import PreparedRead
from backend.requests_app.models import RequestKind
from workflows.models import ProcessInstance

Kind = OutboxEvent.Kind
Versions = Mapping[int, int]  # request id → the id of the process version it runs on


def decision_label(status: str | None) -> str:
    labels = {
        "approved": _("approved"),
        "accepted": _("approved"),
        "rejected": _("rejected"),
        "cancelled": _("cancelled"),
        "completed": _("completed"),
    }
    return labels.get(str(status or "").lower(), str(status or ""))


def request_noun(kind: str | None) -> str:
    """The word an e-mail's subject or a notice names a request by, in the active language: "Complaint"
    for a complaint (its statutory e-mails say so too), "Request" for every other kind. One place, so the
    client's and the staff's e-mails and the notices of one complaint never call it two things."""
    if kind == RequestKind.COMPLAINT:
        return pgettext("subject noun", "Complaint")
    return pgettext("subject noun", "Request")


def noun_context(kind: str | None) -> str:
    """The message context of a sentence naming the request by `request_noun(kind)` whose other words agree
    with that noun: one English text, translated once per noun (Polish "reklamacja" is feminine: "Reklamacja
    … została anulowana", "wniosek" masculine: "Wniosek … został anulowany"). Beside `request_noun`, so the
    noun and the words agreeing with it come from the same kind."""
    return "names a complaint" if kind == RequestKind.COMPLAINT else "names a request"


def request_words(kind: str | None) -> dict[str, str | bool]:
    """The words of an e-mail naming a request of `kind`: `request_noun` and `noun_context` (its subject's
    noun and the context of the sentences agreeing with it) and `complaint`, whether its body names it a
    complaint: a body's sentence says "complaint" or "request" in its own words (Polish declines the noun:
    "Twoja reklamacja", "w historii reklamacji"), so each has its complaint's text beside the request's."""
    return {
        "request_noun": request_noun(kind),
        "noun_context": noun_context(kind),
        "complaint": kind == RequestKind.COMPLAINT,
    }


def subject_decision(status: str | None, kind: str | None) -> str:
    """The decision as a subject states it after `request_noun`: a complaint's in the forms that agree with
    "reklamacja" (a complaint is upheld or not), any other request's as `decision_label`."""
    if kind != RequestKind.COMPLAINT:
        return decision_label(status)
    labels = {
        "approved": pgettext("complaint decision", "upheld"),
        "accepted": pgettext("complaint decision", "upheld"),
        "rejected": pgettext("complaint decision", "rejected"),
        "cancelled": pgettext("complaint decision", "cancelled"),
        "completed": pgettext("complaint decision", "completed"),
    }
    return labels.get(str(status or "").lower(), str(status or ""))


def stage_label(stage: str | None, payload: dict | None = None, *, versions: Versions | None = None) -> str:
    """Return the readable name of a BPMN stage code in the active language (a neutral label if unknown):
    the element's name in the version the payload's request runs on, else the current one. `versions`
    (from `process_versions`, for a page of notices or a batch of e-mails) saves the query per label."""
    from backend.requests_app.catalogue import stage_label as catalogue_stage_label

    version_id = None
    request_id = (payload or {}).get("request_id")
    if stage and isinstance(request_id, int):
        if versions is not None:
            version_id = versions.get(request_id)
        else:
            instance = _INSTANCE_OF_REQUEST.first(request_id=request_id)
            version_id = instance.process_version_id if instance is not None else None
    return catalogue_stage_label(stage, version_id=version_id)


def process_versions(payloads: Iterable[dict | None]) -> Versions:
    """The process version of every request the payloads name, in one query (request id → version id)."""
    request_ids = {payload.get("request_id") for payload in payloads if payload}
    request_ids = {request_id for request_id in request_ids if isinstance(request_id, int)}
    if not request_ids:
        return {}
    return dict(
        ProcessInstance.objects.filter(portal_request__id__in=request_ids).values_list(
            "portal_request__id", "process_version_id"
        )
    )


# Read for every notice and e-mail naming a stage: compiled once per connection (core/prepared_reads.py).
_INSTANCE_OF_REQUEST = PreparedRead(
    lambda request_id: ProcessInstance.objects.filter(portal_request__id=request_id).only(
        "process_version_id"
    )[:1],
    ints=("request_id",),
)


def notice_title(kind: str, payload: dict, *, versions: Versions | None = None) -> str:
    """Return the one-line text of a notice in the active language (`versions`: see stage_label). A request's
    notice names it by its kind's noun (`request_kind`, kept in the payload; "Request" without it)."""
    number = payload.get("number") or payload.get("request_id") or ""
    request_kind = payload.get("request_kind")
    noun = request_noun(request_kind)
    if kind == Kind.REQUEST_STAGE_CHANGED and payload.get("reply_missed"):
        return reply_missed_title(number, payload["reply_missed"]) + "."
    if kind == Kind.REQUEST_STAGE_CHANGED:
        return pgettext(noun_context(request_kind), "%(noun)s %(number)s moved to the stage: %(stage)s.") % {
            "noun": noun,
            "number": number,
            "stage": stage_label(payload.get("stage"), payload, versions=versions),
        }
    if kind == Kind.REQUEST_WAITING_FOR_CLIENT:
        return _("%(noun)s %(number)s: we are waiting for your reply.") % {"noun": noun, "number": number}
    if kind == Kind.REQUEST_REMINDER:
        if payload.get("offer_expired_on"):  # the counter-offer asked about can no longer be accepted
            return _(
                "Reminder: the counter-offer in request %(number)s expired on %(date)s: reply to ask for a new "
                "one, or decline it."
            ) % {"number": number, "date": payload_date_text(payload["offer_expired_on"])}
        return _("Reminder: %(noun)s %(number)s is still waiting for your reply.") % {
            "noun": noun.lower(),
            "number": number,
        }
    if kind == Kind.REQUEST_DECIDED:
        return pgettext(noun_context(request_kind), "%(noun)s %(number)s has been decided: %(decision)s.") % {
            "noun": noun,
            "number": number,
            "decision": subject_decision(payload.get("decision") or payload.get("status"), request_kind),
        }
    if kind == Kind.MESSAGE_ANSWERED:
        return message_answered_title(payload)
    if kind == Kind.REQUEST_COMMENT:
        if payload.get("deadline_to"):
            return _("%(noun)s %(number)s: the answer deadline has been extended to %(date)s.") % {
                "noun": noun,
                "number": number,
                "date": payload_date_text(payload["deadline_to"]),
            }
        return _("%(noun)s %(number)s: customer service has written to you.") % {
            "noun": noun,
            "number": number,
        }
    return str(Kind(kind).label) if kind in Kind.values else kind


def reply_missed_title(number, dates: dict) -> str:
    """The notice's line, without its full stop, when a complaint's wait for the client's reply ends without
    it (its e-mail: recipients.REPLY_MISSED_TEMPLATE). `dates`: the reply-by day and the deadline, ISO (the
    process's no-reply row)."""
    return _(
        "Complaint %(number)s: no reply came by %(reply_by)s; we will answer it with the information we have, "
        "by %(deadline)s"
    ) % {
        "number": number,
        "reply_by": payload_date_text(dates.get("reply_by", "")),
        "deadline": payload_date_text(dates.get("deadline", "")),
    }


def message_answered_title(payload: dict) -> str:
    """What a notice about an answer says, the e-mail's subject too: the thread by its subject and whether
    the answer is final, in words true for every reader (the company's colleagues get it as well) and
    without a grammatical gender."""
    subject = Truncator(str(payload.get("subject") or "")).chars(SUBJECT_CHARS)
    if not subject:  # a notice made before notices named their thread
        return _("Customer service has answered in a message thread.")
    if payload.get("final"):
        return _("Final answer in the thread “%(subject)s”.") % {"subject": subject}
    return _("New answer in the thread “%(subject)s”.") % {"subject": subject}


# A thread's subject in a notice's line and an e-mail's subject (a subject may have 200 characters).
SUBJECT_CHARS = 80


def payload_date_text(iso: str) -> str:
    """An ISO date of a payload in the reader's date format (the text as it is when it is no date)."""
    try:
        return format_date(date.fromisoformat(str(iso)), lang=active_lang())
    except ValueError:
        return str(iso)


def subject_path(kind: str, subject_id: int | None, payload: dict) -> str:
    """Return the portal page a notice or e-mail about this subject links to."""
    request_id = payload.get("request_id") or subject_id
    if kind.startswith("request.") and request_id:
        return reverse("request-page", args=[request_id])
    if kind == Kind.MESSAGE_ANSWERED:
        thread_id = payload.get("thread_id") or subject_id
        if not thread_id:
            return reverse("messages")
        return reverse("message-page", args=[thread_id]) + on_message(payload.get("message_id"))
    return reverse("home")


def on_message(message_id: object) -> str:
    """The end of a thread page's address that opens it on the message: the part of the thread from it on
    (`?from=`, portal_ui/thread_messages.py; a message among the newest is shown as the page opens anyway)
    and its item (`#message-<id>`). "" for a notice made before notices kept their message."""
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        return ""
    return f"?from={message_id}#message-{message_id}"
