"""A request waiting for the client's reply: when the wait ends (the reply-by day, and whether the request
is then cancelled) and, on one request's page, its whole course (since when, reminders).

The due times come from the process's own timers as the last step saved them (the instance's
`timer_dues`): a list of waiting requests reads them without loading the engine, and a version move keeps
the clocks where they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.exceptions import TaskNotReady
from backend.core.language import active_lang
from backend.core.money import format_date
from backend.requests_app.complaints import no_reply_dates
from backend.requests_app.models import PortalRequest, RequestEvent, RequestStatus
from workflows import services as workflow_services
from workflows.contract import CANCEL_TIMER, REMINDER_TIMER, Outcome, get_contract


@dataclass(frozen=True, kw_only=True)
class WaitEnd:
    """When a wait for the client ends without the reply (`reply_by`: the first of the contract's timers
    that interrupt it — the cancel, or a complaint's reply-by moment, after which staff answer with what
    they have; `cancels` says which)."""

    reply_by: datetime | None = None
    cancels: bool = False

    @property
    def reply_by_day(self) -> date | None:
        """The last full day before the wait ends: the day the client is told to reply by. A wait ending
        on 30.12 at 05:06 (the question's time of day, 30 days on) leaves 29.12: clients read dates, not
        times, and a reply during 30.12's office hours would find the request cancelled."""
        if self.reply_by is None:
            return None
        return timezone.localdate(self.reply_by) - timedelta(days=1)

    def reply_by_text(self) -> str:
        """The client's line in the active language: reply by which day, and what happens after it."""
        day = self.reply_by_day
        if day is None:
            return ""
        lang = active_lang()
        if self.cancels:
            # The day after the reply-by day: the day the timer cancels it (the sweep fires it within a minute).
            return _(
                "Please reply by %(date)s. Without a reply the request is cancelled on %(cancel_date)s."
            ) % {
                "date": format_date(day, lang=lang),
                "cancel_date": format_date(self.reply_by, lang=lang),
            }
        text = _(
            "Please reply by %(date)s: after that day we will answer with the information we already have."
        )
        return text % {"date": format_date(day, lang=lang)}


@dataclass(frozen=True, kw_only=True)
class ClientWait(WaitEnd):
    """The course of a wait: since when, and when its process reminds the client (day 14; `reminded_at`
    once it has) and cancels the request (day 30)."""

    since: datetime | None
    reminder_at: datetime | None
    reminded_at: datetime | None
    cancel_at: datetime | None
    reminders: tuple[datetime, ...] = ()  # every reminder sent since the question, oldest first


def _is_waiting(portal_request: PortalRequest) -> bool:
    return (
        portal_request.status == RequestStatus.WAITING_FOR_CLIENT
        and portal_request.process_instance is not None
    )


def _end_of(portal_request: PortalRequest, dues: dict[str, datetime]) -> WaitEnd:
    contract = get_contract(portal_request.kind)
    ending = contract.wait_ending_timers() if contract is not None else {}
    ends = sorted(((dues[t], outcome) for t, outcome in ending.items() if t in dues), key=lambda end: end[0])
    if not ends:
        return WaitEnd()
    return WaitEnd(reply_by=ends[0][0], cancels=ends[0][1] == Outcome.CANCELLED)


def wait_end(portal_request: PortalRequest) -> WaitEnd | None:
    """When the wait of a request waiting for the client ends (None for any other request): what a list
    row shows, from the instance's saved due times (no history read)."""
    if not _is_waiting(portal_request):
        return None
    return _end_of(portal_request, workflow_services.waiting_timer_dues(portal_request.process_instance))


def wait_end_has_come(portal_request: PortalRequest) -> bool:
    """Whether the wait of a request waiting for the client has reached its end (WaitEnd.reply_by: the
    cancel, a complaint's reply-by moment) by now, its timer firing in this very sweep if beat was down:
    what asks for the reply then (a late reminder, its e-mail) asks for what is no longer awaited."""
    end = wait_end(portal_request)
    return end is not None and end.reply_by is not None and end.reply_by <= timezone.now()


def client_wait(portal_request: PortalRequest) -> ClientWait | None:
    """The wait of a request waiting for the client (None otherwise), from its prefetched history and the
    due times of its process's own timers."""
    if not _is_waiting(portal_request):
        return None
    # Since staff's last question, as the list of requests waiting for the client counts it.
    since = max(
        (e.created_at for e in portal_request.events.all() if e.kind == RequestEvent.Kind.QUESTION),
        default=None,
    )
    reminded = [
        e.created_at
        for e in portal_request.events.all()
        if e.kind == RequestEvent.Kind.REMINDER and (since is None or e.created_at >= since)
    ]
    dues = workflow_services.waiting_timer_dues(portal_request.process_instance)
    end = _end_of(portal_request, dues)
    reminder_at = dues.get(REMINDER_TIMER)
    if reminder_at is not None and end.reply_by is not None and reminder_at >= end.reply_by:
        # The wait ends first (a complaint's question asked late): that reminder is never sent.
        reminder_at = None
    return ClientWait(
        since=since,
        reminder_at=reminder_at,
        reminded_at=max(reminded, default=None),
        cancel_at=dues.get(CANCEL_TIMER),
        reply_by=end.reply_by,
        cancels=end.cancels,
        reminders=tuple(sorted(reminded)),
    )


class WaitEnded(TaskNotReady):
    """A reply to a question whose wait ended without one: the message says when it ended and what follows
    (wait_ended_text); the same code as any answer the request no longer waits for."""


def wait_ended_text(portal_request: PortalRequest) -> str:
    """For a complaint whose wait for the client ended without a reply (the no-reply row after the last
    question, complaints.complaint_reply_missed), what a reply sent now is told in the active language:
    when the time ended, what follows and that a comment still goes; "" for any other request."""
    last = (
        portal_request.events.filter(kind__in=(RequestEvent.Kind.QUESTION, RequestEvent.Kind.NO_REPLY))
        .order_by("-created_at", "-pk")
        .first()
    )
    dates, lang = no_reply_dates(last), active_lang()
    if dates is None:
        return ""
    return _(
        "The time to reply ended on %(reply_by)s: we will answer the complaint with the information we have, "
        "by %(deadline)s. You can still add a comment to the request."
    ) % {
        "reply_by": format_date(dates.reply_by, lang=lang),
        "deadline": format_date(dates.deadline, lang=lang),
    }


def stale_reply_refusal(portal_request: PortalRequest) -> TaskNotReady:
    """The refusal of a reply to a request that no longer waits for it: why, where the history says."""
    text = wait_ended_text(portal_request)
    return WaitEnded(text) if text else TaskNotReady()
