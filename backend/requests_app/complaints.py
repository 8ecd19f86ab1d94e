"""The statutory clock of a complaint (reklamacja) and the BPMN service tasks that move it.

Law: Art. 5 of the act of 5 August 2015 on handling complaints by financial market entities (ustawa
o rozpatrywaniu reklamacji przez podmioty rynku finansowego): the answer is due within 30 days of receipt;
in especially complicated cases the entity tells the client the reason, what it still has to establish and
the new date, which is at most 60 days from receipt. The days are calendar days (Civil Code art. 111: the
day of receipt does not count, the period ends at the end of its last day), in Polish time.

bpmn/complaint.bpmn reads `complaint_clock` (escalate_at, deadline_at, reply_by_at) in its date timers: the
escalation to a supervisor fires at the start of the day before the deadline (day 29 of 30), the deadline
timer when the deadline day has ended. A question to the client waits at most until `reply_by_at`, the
start of the day REPLY_MARGIN_DAYS before the deadline: then the complaint goes back to staff, who answer
with what they have while the deadline still holds (the client is told to reply by the day before). A
question that would leave the client fewer than MIN_REPLY_DAYS days is refused (`question_problem`): staff
extend the deadline first, or answer. An extension (staff decision "extend") moves all three and re-arms
the timers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backend.core.exceptions import PortalValidationError
from backend.core.language import active_lang, in_each_language
from backend.core.models import OutboxEvent
from backend.core.money import format_date
from backend.core.services import record_outbox_event
from backend.requests_app import history
from backend.requests_app.models import (
    OPEN_STATUSES,
    ComplaintClock,
    PortalRequest,
    RequestEvent,
    RequestKind,
    RequestStatus,
)
from workflows.service_tasks import declare_domain_errors, register

POLISH_TIME = ZoneInfo("Europe/Warsaw")
ANSWER_DAYS = 30
MAX_ANSWER_DAYS = 60
# "Near the deadline" on the staff dashboard: at most this many days left (the deadline day counts as 0).
NEAR_DEADLINE_DAYS = 5
# A client's reply is awaited until the start of the day this many days before the deadline, so staff
# always have these days (and the deadline day) to answer after the wait: the "near" days above.
REPLY_MARGIN_DAYS = NEAR_DEADLINE_DAYS
# The fewest whole days after today a client is given to reply to a complaint's question.
MIN_REPLY_DAYS = 3


class ComplaintExtensionRefused(PortalValidationError):
    """The new date is not later than the current one, or beyond 60 days from receipt."""


class ComplaintQuestionTooLate(PortalValidationError):
    """The client would have fewer than MIN_REPLY_DAYS days to reply before the wait ends."""


declare_domain_errors(ComplaintExtensionRefused)


def received_on(moment: datetime) -> date:
    return timezone.localtime(moment, POLISH_TIME).date()


def statutory_deadline(received: date) -> date:
    return received + timedelta(days=ANSWER_DAYS)


def latest_deadline(received: date) -> date:
    return received + timedelta(days=MAX_ANSWER_DAYS)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=POLISH_TIME)


def reply_by_day(deadline: date) -> date:
    """The last day a client asked a question may reply on: the wait ends when it has ended."""
    return deadline - timedelta(days=REPLY_MARGIN_DAYS + 1)


def clock_moments(deadline: date) -> dict[str, str]:
    """The moments the process's timers wait for: escalate at the start of the day before the deadline,
    record the deadline as passed once its day has ended, end a wait for the client's reply once its
    reply-by day has ended."""
    return {
        "escalate_at": _start_of(deadline - timedelta(days=1)).isoformat(),
        "deadline_at": _start_of(deadline + timedelta(days=1)).isoformat(),
        "reply_by_at": _start_of(reply_by_day(deadline) + timedelta(days=1)).isoformat(),
    }


def start_clock(portal_request: PortalRequest) -> dict:
    """Create the clock of a just-submitted complaint; return the process's start data for it."""
    received = received_on(portal_request.created_at or timezone.now())
    clock = ComplaintClock.objects.create(
        request=portal_request, received_on=received, deadline=statutory_deadline(received)
    )
    return {"complaint_clock": clock_moments(clock.deadline)}


def process_start_data(portal_request: PortalRequest) -> dict:
    """Extra start variables of the request's process (only complaints have any)."""
    return start_clock(portal_request) if portal_request.kind == RequestKind.COMPLAINT else {}


@dataclass(frozen=True)
class ClockView:
    received_on: date
    deadline: date
    days_total: int  # from receipt to the deadline: 30, or up to 60 after an extension
    days_left: int  # negative once overdue
    extended: bool
    extension_reason: str
    escalated: bool
    overdue: bool
    open: bool
    question_problem: str = ""  # why staff cannot ask the client now ("" when they can)

    @property
    def latest_deadline(self) -> date:
        return latest_deadline(self.received_on)

    @property
    def reply_by(self) -> date:
        """The day a client asked now is told to reply by."""
        return reply_by_day(self.deadline)

    def question_hint(self) -> str:
        """The staff's line beside the question form: until when the client may reply, and what then."""
        return _(
            "The client is asked to reply by %(date)s; without a reply the complaint comes back to you the "
            "day after, %(days)d days before its deadline."
        ) % {"date": format_date(self.reply_by, lang=active_lang()), "days": REPLY_MARGIN_DAYS}

    @property
    def near(self) -> bool:
        return self.open and self.days_left <= NEAR_DEADLINE_DAYS

    def text(self) -> str:
        """The client's line in the active language, e.g. "Odpowiedź do 24.12.2026 (30 dni)"."""
        return _("Answer by %(date)s (%(days)d days from receipt)") % {
            "date": format_date(self.deadline, lang=active_lang()),
            "days": self.days_total,
        }

    def days_left_text(self) -> str:
        if not self.open:
            return ""
        if self.days_left < 0:
            days = -self.days_left
            return ngettext("%(days)d day overdue", "%(days)d days overdue", days) % {"days": days}
        if self.days_left == 0:
            return _("due today")
        return ngettext("%(days)d day left", "%(days)d days left", self.days_left) % {"days": self.days_left}


def clock_view(clock: ComplaintClock, *, today: date | None = None) -> ClockView:
    today = today or timezone.localdate(timezone=POLISH_TIME)
    return ClockView(
        received_on=clock.received_on,
        deadline=clock.deadline,
        days_total=(clock.deadline - clock.received_on).days,
        days_left=(clock.deadline - today).days,
        extended=bool(clock.extended_at),
        extension_reason=clock.extension_reason,
        escalated=clock.escalated_for == clock.deadline,  # for the current deadline
        overdue=clock.overdue_at is not None,
        open=clock.request.status in OPEN_STATUSES,
        question_problem=question_problem(clock, today=today),
    )


def clock_of(portal_request: PortalRequest) -> ClockView | None:
    """The request's clock as shown to people, or None for other kinds."""
    if portal_request.kind != RequestKind.COMPLAINT:
        return None
    clock = ComplaintClock.objects.select_related("request").filter(request=portal_request).first()
    return clock_view(clock) if clock is not None else None


def clock_payload(view: ClockView | None) -> dict | None:
    """The API's shape of the clock (dates as ISO strings)."""
    if view is None:
        return None
    return {
        "received_on": view.received_on.isoformat(),
        "deadline": view.deadline.isoformat(),
        "days_total": view.days_total,
        "days_left": view.days_left,
        "extended": view.extended,
        "extension_reason": view.extension_reason,
        "escalated": view.escalated,
        "overdue": view.overdue,
        "text": view.text(),
        "reply_by": view.reply_by.isoformat(),
    }


def near_deadline_filter(*, today: date | None = None) -> dict:
    """ORM lookups of open complaints with at most NEAR_DEADLINE_DAYS left (overdue ones included)."""
    today = today or timezone.localdate(timezone=POLISH_TIME)
    return {
        "kind": RequestKind.COMPLAINT,
        "status__in": OPEN_STATUSES,
        "complaint_clock__deadline__lte": today + timedelta(days=NEAR_DEADLINE_DAYS),
    }


# --------------------------------------------------------------------------------------------------
# Service tasks of bpmn/complaint.bpmn (inside the engine step's transaction)


def _locked_clock(data: dict) -> ComplaintClock:
    return (
        ComplaintClock.objects.select_for_update()
        .select_related("request")
        .get(request_id=data["request_id"])
    )


def new_deadline_problem(clock: ComplaintClock, new_deadline: date | None) -> str:
    """Why the complaint's deadline cannot move to `new_deadline` ("" when it can): later than the
    current one, at most 60 days from receipt."""
    if new_deadline is None:
        return _("Enter the new date.")
    if new_deadline <= clock.deadline:
        return _("The new date must be later than the current deadline (%(date)s).") % {
            "date": format_date(clock.deadline, lang=active_lang())
        }
    latest = latest_deadline(clock.received_on)
    if new_deadline > latest:
        return _("A complaint must be answered within 60 days of receipt, that is by %(date)s.") % {
            "date": format_date(latest, lang=active_lang())
        }
    return ""


def question_problem(clock: ComplaintClock, *, today: date | None = None) -> str:
    """Why staff cannot ask the client a question now ("" when they can): the reply would have to come
    within MIN_REPLY_DAYS days, since the wait ends REPLY_MARGIN_DAYS before the deadline."""
    today = today or timezone.localdate(timezone=POLISH_TIME)
    last_day = reply_by_day(clock.deadline)
    if (last_day - today).days >= MIN_REPLY_DAYS:
        return ""
    lang = active_lang()
    params = {
        "deadline": format_date(clock.deadline, lang=lang),
        "reply_by": format_date(last_day, lang=lang),
        "days": MIN_REPLY_DAYS,
        "latest": format_date(latest_deadline(clock.received_on), lang=lang),
    }
    if clock.deadline < latest_deadline(clock.received_on):
        return (
            _(
                "Too late to ask the client: the complaint must be answered by %(deadline)s, so a reply would "
                "have to come by %(reply_by)s, and the client is given at least %(days)d days. Extend the "
                "deadline first (at most to %(latest)s, with the reason the client is told), or answer with the "
                "information you have."
            )
            % params
        )
    return (
        _(
            "Too late to ask the client: the complaint must be answered by %(deadline)s, the latest date the "
            "law allows, so a reply would have to come by %(reply_by)s, and the client is given at least "
            "%(days)d days. Answer with the information you have."
        )
        % params
    )


def refuse_late_question(portal_request: PortalRequest) -> None:
    """Refuse staff's question to the client of a complaint that leaves no time to reply (the request is
    locked by the caller; other kinds pass)."""
    if portal_request.kind != RequestKind.COMPLAINT:
        return
    clock = ComplaintClock.objects.filter(request=portal_request).first()
    problem = question_problem(clock) if clock is not None else ""
    if problem:
        raise ComplaintQuestionTooLate(problem, fields={"question": [problem]})


@register("extend_complaint_deadline")
def extend_complaint_deadline(params: dict, data: dict) -> dict:
    """Move the deadline to the staff's new date (≤ 60 days from receipt) and tell the client why."""
    clock = _locked_clock(data)
    try:
        new_deadline = date.fromisoformat(str(data.get("new_deadline", "")))
    except ValueError:
        new_deadline = None
    problem = new_deadline_problem(clock, new_deadline)
    if problem:
        raise ComplaintExtensionRefused(problem, fields={"new_deadline": [problem]})
    reason = str(data.get("extension_reason", "")).strip()
    previous = clock.deadline
    clock.deadline, clock.extension_reason = new_deadline, reason
    clock.extended_at = timezone.now()
    clock.extended_by = clock.request.assignee
    clock.overdue_at = None  # a deadline that passed and was then extended runs again
    clock.save(update_fields=["deadline", "extension_reason", "extended_at", "extended_by", "overdue_at"])
    portal_request = clock.request
    event = history.deadline_extended(
        portal_request,
        staff=clock.extended_by,
        message=reason,
        data={"from": previous.isoformat(), "to": new_deadline.isoformat()},
    )
    # The client is told the new date and the reason (the comment notice and e-mail carry it).
    record_outbox_event(
        kind=OutboxEvent.Kind.REQUEST_COMMENT,
        subject=portal_request,
        client_id=portal_request.client_id,
        payload={
            "request_id": portal_request.pk,
            "number": portal_request.number,
            "stage": portal_request.stage,
            "status": portal_request.status,
            "waiting_for": "staff",
            "event_id": event.pk,
            "author": event.author,
            "deadline_to": new_deadline.isoformat(),
        },
    )
    return clock_moments(new_deadline)


def _tell_supervisors(kind: str, portal_request: PortalRequest, deadline: date) -> None:
    """An outbox event for the supervisors (backend.accounts.supervisors), mailed by notifications once.

    Back office only: the event has no client id, so no client notice or push ever carries it.
    """
    record_outbox_event(
        kind=kind,
        subject=portal_request,
        client_id=None,
        payload={
            "request_id": portal_request.pk,
            "number": portal_request.number,
            "client_id": portal_request.client_id,
            "deadline": deadline.isoformat(),
        },
    )


@register("escalate_complaint")
def escalate_complaint(params: dict, data: dict) -> dict:
    """Put the complaint in the supervisors' queue once per deadline and tell them."""
    clock = _locked_clock(data)
    portal_request = clock.request
    if clock.escalated_for == clock.deadline or portal_request.status not in OPEN_STATUSES:
        return {"escalated": False}
    clock.escalated_for, clock.escalated_at = clock.deadline, timezone.now()
    clock.save(update_fields=["escalated_for", "escalated_at"])
    history.escalated(portal_request, data={"deadline": clock.deadline.isoformat()})
    _tell_supervisors(OutboxEvent.Kind.COMPLAINT_ESCALATED, portal_request, clock.deadline)
    return {"escalated": True, "deadline": clock.deadline.isoformat()}


@register("complaint_deadline_passed")
def complaint_deadline_passed(params: dict, data: dict) -> dict:
    """Record that the statutory deadline passed without an answer."""
    clock = _locked_clock(data)
    portal_request = clock.request
    if clock.overdue_at is not None or portal_request.status not in OPEN_STATUSES:
        return {"overdue": clock.overdue_at is not None}
    clock.overdue_at = timezone.now()
    clock.save(update_fields=["overdue_at"])
    history.deadline_passed(portal_request, data={"deadline": clock.deadline.isoformat()})
    _tell_supervisors(OutboxEvent.Kind.COMPLAINT_DEADLINE_PASSED, portal_request, clock.deadline)
    return {"overdue": True}


@register("complaint_reply_missed")
def complaint_reply_missed(params: dict, data: dict) -> dict:
    """The client did not reply by the reply-by day: say so in the history (the complaint goes back to
    staff, who answer with what they have by the deadline)."""
    clock = _locked_clock(data)
    reply_by = reply_by_day(clock.deadline)
    texts = in_each_language(
        lambda lang: (
            _(
                "No reply came by %(reply_by)s: the complaint will be answered with the information we have, by "
                "%(deadline)s."
            )
            % {
                "reply_by": format_date(reply_by, lang=lang),
                "deadline": format_date(clock.deadline, lang=lang),
            }
        )
    )
    dates = NoReplyDates(reply_by=reply_by, deadline=clock.deadline)
    history.reply_missed(
        clock.request, message=texts["pl"], data={**dates.as_data(), "message_en": texts["en"]}
    )
    return {"reply_by": reply_by.isoformat()}


@dataclass(frozen=True)
class NoReplyDates:
    """The days a complaint's no-reply history row records (complaint_reply_missed): the reply-by day that
    passed without a reply, and the deadline by which staff answer with what they have."""

    reply_by: date
    deadline: date

    def as_data(self) -> dict[str, str]:
        """The dates as the row's data keeps them (and a notice's payload, notifications/services.py): ISO."""
        return {"reply_by": self.reply_by.isoformat(), "deadline": self.deadline.isoformat()}


def no_reply_dates(row: RequestEvent | None) -> NoReplyDates | None:
    """The dates of a no-reply history row, the one reader of its data; None for any other row (or None),
    or one without both dates."""
    if row is None or row.kind != RequestEvent.Kind.NO_REPLY:
        return None
    data = row.data or {}
    try:
        return NoReplyDates(
            reply_by=date.fromisoformat(data["reply_by"]), deadline=date.fromisoformat(data["deadline"])
        )
    except (KeyError, TypeError, ValueError):
        return None


def reply_missed_before(change: RequestEvent | None) -> dict:
    """{"reply_by", "deadline"} (ISO dates, NoReplyDates.as_data) when `change`, a history row of a status
    change, is the system's return of a complaint to staff that complaint_reply_missed's step wrote right
    after its no-reply row (the row before it); {} for any other change or None."""
    if change is None or change.actor_id is not None or change.status_to != RequestStatus.IN_REVIEW:
        return {}
    before = (
        RequestEvent.objects.filter(request_id=change.request_id, pk__lt=change.pk).order_by("-pk").first()
    )
    dates = no_reply_dates(before)
    return dates.as_data() if dates is not None else {}
