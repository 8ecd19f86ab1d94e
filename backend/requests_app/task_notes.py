"""What took a request out of a staff member's hands, in one sentence naming who did what and when.

A claim or decision refused because someone got there first (409) carries the sentence as its message,
for the task page and the staff API alike (`explained`); the task page also shows it in the banner over
a decision form someone is still typing in when the request moved on (staff_live.js reads it from
`data-held-text`). Read from the request's prefetched history: no query of its own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.core.exceptions import Conflict, NotFound
from backend.core.language import active_lang
from backend.core.money import format_date, format_time
from backend.requests_app import selectors
from backend.requests_app.models import PortalRequest, RequestEvent, RequestStatus
from workflows.models import ProcessInstance


def taken_note(portal_request: PortalRequest, staff: User) -> str:
    """Why `staff` can no longer decide the request (who decided, asked or took it, and when); "" while
    they still can."""
    instance = portal_request.process_instance
    if portal_request.status == RequestStatus.IN_REVIEW and (
        instance is not None and instance.waiting_for == ProcessInstance.WaitingFor.STAFF
    ):
        if portal_request.assignee_id is None or portal_request.assignee_id == staff.pk:
            return ""
        name = _name(portal_request.assignee)
        claim = _last(portal_request, RequestEvent.Kind.CLAIMED, actor_id=portal_request.assignee_id)
        if claim is None:  # taken otherwise (by a first question, or given by someone)
            return _("%(name)s is working on this task.") % {"name": name}
        return _("%(name)s took this task on %(date)s at %(time)s.") % {"name": name, **_when(claim)}
    if portal_request.status == RequestStatus.WAITING_FOR_CLIENT:
        question = _last(portal_request, RequestEvent.Kind.QUESTION)
        if question is not None:
            return _(
                "%(name)s asked the client on %(date)s at %(time)s; the request now waits for the "
                "client's reply."
            ) % {"name": _name(question.actor), **_when(question)}
    if portal_request.status in (RequestStatus.APPROVED, RequestStatus.COMPLETED, RequestStatus.REJECTED):
        decision = _last(portal_request, RequestEvent.Kind.DECISION)
        if decision is not None and decision.data.get("decision") in ("approve", "reject"):
            said = {
                "approve": _("%(name)s approved this request on %(date)s at %(time)s."),
                "reject": _("%(name)s rejected this request on %(date)s at %(time)s."),
            }[decision.data["decision"]]
            return said % {"name": _name(decision.actor), **_when(decision)}
    if portal_request.status == RequestStatus.CANCELLED:
        ended = _last(portal_request, RequestEvent.Kind.STAGE_CHANGED, status_to=RequestStatus.CANCELLED)
        if ended is not None:
            if ended.author == RequestEvent.Author.CLIENT:
                return _("The client withdrew the request on %(date)s at %(time)s.") % _when(ended)
            return _("The request was cancelled on %(date)s at %(time)s.") % _when(ended)
    return _("The request has moved on: its status is now “%(status)s”.") % {
        "status": portal_request.get_status_display()
    }


def explained(conflict: Conflict, *, request_id: int, staff: User) -> Conflict:
    """The refusal of a staff member's claim or decision, saying who did what and when (same code): read
    after the refused transaction, so it names what is committed. Kept as it was while they still can."""
    try:
        note = taken_note(selectors.get_request_for_staff(request_id=request_id), staff)
    except NotFound:
        return conflict
    return type(conflict)(note) if note else conflict


def _last(portal_request: PortalRequest, kind: str, **matching) -> RequestEvent | None:
    for event in reversed(portal_request.events.all()):  # prefetched, oldest first
        if event.kind == kind and all(getattr(event, key) == value for key, value in matching.items()):
            return event
    return None


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user is not None else "—"


def _when(event: RequestEvent) -> dict[str, str]:
    return {"date": format_date(event.created_at, lang=active_lang()), "time": format_time(event.created_at)}
