"""Who holds a request's staff task: claim, release, give to a colleague. One function per action.

Each locks the request, changes the assignee, writes the history row the client sees (history.py) and the
staff-only outbox event that updates colleagues' pages (outbox.assigned), in one transaction. A claim
refused because someone got there first says who and when (task_notes.py), as the page does.
"""

from __future__ import annotations

from types import EllipsisType

from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.customer_service import NOT_ASSIGNABLE, is_assignable
from backend.accounts.models import User
from backend.core.exceptions import (
    Conflict,
    InvalidTransition,
    PortalValidationError,
    TaskAlreadyClaimed,
    TaskNotReady,
)
from backend.requests_app import history, outbox
from backend.requests_app.locking import claimed_by_other, lock_request
from backend.requests_app.models import OPEN_STATUSES, PortalRequest, RequestStatus
from backend.requests_app.task_notes import explained


def claim_request(*, staff: User, portal_request: PortalRequest) -> PortalRequest:
    """Take the request's staff task; exactly one of two concurrent claims wins, the other is told who took,
    asked or decided it and when."""
    try:
        return _claim(staff=staff, portal_request=portal_request)
    except Conflict as exc:
        raise explained(exc, request_id=portal_request.pk, staff=staff) from exc


@transaction.atomic
def _claim(*, staff: User, portal_request: PortalRequest) -> PortalRequest:
    locked = lock_request(portal_request)
    if locked.status != RequestStatus.IN_REVIEW:
        raise TaskNotReady()
    updated = PortalRequest.objects.filter(pk=locked.pk, assignee__isnull=True).update(assignee=staff)
    if not updated:
        locked.refresh_from_db()
        if locked.assignee_id != staff.pk:
            raise TaskAlreadyClaimed(
                _("The task is already claimed by %(name)s.") % {"name": locked.assignee or "?"}
            )
        return locked
    locked.assignee = staff
    history.claimed(locked, staff=staff)
    outbox.assigned(locked, previous_assignee_id=None, by=staff)  # other staff pages stop offering it
    return locked


@transaction.atomic
def unclaim_request(*, staff: User, portal_request: PortalRequest) -> PortalRequest:
    """Release the staff member's own claim on an undecided request.

    A decided (or cancelled) request keeps its assignee, the person who decided it, and gets no history
    row the client would see: releasing it is refused.
    """
    locked = lock_request(portal_request)
    if locked.status not in OPEN_STATUSES:
        raise InvalidTransition(_("A decided or closed request cannot be released."))
    if claimed_by_other(locked, staff):
        raise TaskAlreadyClaimed(_("The task is already claimed by %(name)s.") % {"name": locked.assignee})
    if locked.assignee_id is None:
        return locked
    PortalRequest.objects.filter(pk=locked.pk, assignee=staff).update(assignee=None)
    locked.assignee = None
    history.unclaimed(locked, staff=staff)
    outbox.assigned(locked, previous_assignee_id=staff.pk, by=staff)
    return locked


@transaction.atomic
def assign_request(
    *,
    staff: User,
    portal_request: PortalRequest,
    assignee: User,
    expected_assignee_id: int | None | EllipsisType = ...,
) -> PortalRequest:
    """Give an undecided request's task to a colleague (or to oneself), whoever holds it now.

    Customer service covers absences, as with message threads (messaging.staff_writes.assign_thread). With
    `expected_assignee_id` (who the caller saw holding it; None: nobody) a task that changed hands since
    is left as it is (Conflict), so a click on a stale page never takes it from a colleague unawares.
    """
    if not is_assignable(assignee):
        message = str(NOT_ASSIGNABLE)
        raise PortalValidationError(message, fields={"assignee_id": [message]})
    locked = lock_request(portal_request)
    if locked.status not in OPEN_STATUSES:
        raise InvalidTransition(_("A decided or closed request cannot be assigned."))
    previous = locked.assignee_id
    if expected_assignee_id is not ... and previous != expected_assignee_id:
        holder = User.objects.filter(pk=previous).first() if previous else None
        if holder is None:
            raise Conflict(_("Meanwhile the task has been released. Nothing was changed."))
        name = holder.get_full_name() or holder.email
        raise Conflict(_("Meanwhile %(name)s has taken this task. Nothing was changed.") % {"name": name})
    if previous == assignee.pk:
        return locked
    PortalRequest.objects.filter(pk=locked.pk).update(assignee=assignee)
    locked.assignee = assignee
    history.assigned(locked, staff=staff, assignee=assignee)
    outbox.assigned(locked, previous_assignee_id=previous, by=staff)
    return locked
