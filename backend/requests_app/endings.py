"""How a request ended, read from its history: the client's page says why it is closed, the staff's closed
list tells an auto-cancel from a withdrawal. One reading for both, from rows the request already has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.language import active_lang
from backend.core.money import format_date
from backend.requests_app.catalogue import request_stage_label
from backend.requests_app.models import CLOSED_STATUSES, PortalRequest, RequestEvent, RequestStatus


class Ending(StrEnum):
    # The process's reply deadline passed (its day-30 timer): no person made it, the system did.
    AUTO_CANCELLED = "auto_cancelled"
    WITHDRAWN = "withdrawn"  # by a user of the client
    CANCELLED = "cancelled"  # by the lessor (e.g. an administrator's repair)
    DECIDED = "decided"  # approved (and completed) or rejected


@dataclass(frozen=True)
class RequestEnding:
    how: Ending
    on: date | None  # the day it ended
    asked_on: date | None  # the day of staff's last question (an auto-cancel's unanswered one)

    def client_text(self) -> str:
        """Why the request is closed, to the client, in the active language."""
        day = format_date(self.on, lang=active_lang()) if self.on else ""
        if self.how == Ending.AUTO_CANCELLED and self.asked_on is not None:
            return _(
                "This request was cancelled automatically on %(date)s: the lessor's question of %(asked)s"
                " had no reply."
            ) % {"date": day, "asked": format_date(self.asked_on, lang=active_lang())}
        texts = {
            Ending.AUTO_CANCELLED: _("This request was cancelled automatically on %(date)s."),
            Ending.WITHDRAWN: _("This request was withdrawn on %(date)s."),
            Ending.CANCELLED: _("This request was cancelled by the lessor on %(date)s."),
            Ending.DECIDED: _("This request was decided on %(date)s."),
        }
        return texts[self.how] % {"date": day}


def request_ending(portal_request: PortalRequest) -> RequestEnding | None:
    """How the request ended (None while it is open), from its prefetched history."""
    if portal_request.status not in CLOSED_STATUSES:
        return None
    events = list(portal_request.events.all())
    questions = [e.created_at for e in events if e.kind == RequestEvent.Kind.QUESTION]
    asked_on = timezone.localdate(max(questions)) if questions else None
    if portal_request.status != RequestStatus.CANCELLED:
        ended = portal_request.decided_at
        return RequestEnding(Ending.DECIDED, timezone.localdate(ended) if ended else None, asked_on)
    cancel = next(
        (
            e
            for e in reversed(events)
            if e.kind == RequestEvent.Kind.STAGE_CHANGED and e.status_to == RequestStatus.CANCELLED
        ),
        None,
    )
    if cancel is None:
        return RequestEnding(Ending.CANCELLED, None, asked_on)
    how = {
        RequestEvent.Author.SYSTEM: Ending.AUTO_CANCELLED,
        RequestEvent.Author.CLIENT: Ending.WITHDRAWN,
    }.get(cancel.author, Ending.CANCELLED)
    return RequestEnding(how, timezone.localdate(cancel.created_at), asked_on)


def closed_status_label(portal_request: PortalRequest) -> str:
    """The status of a closed request on staff's lists: a cancelled one by its stage, which says who ended
    it (the process's no-reply end, the client's withdrawal, the lessor's cancel: workflows CancelledStage),
    at no query when the row was read with its instance (selectors.with_related)."""
    if portal_request.status == RequestStatus.CANCELLED:
        return request_stage_label(portal_request)
    return portal_request.get_status_display()
