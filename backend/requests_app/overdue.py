"""Requests still with staff past their due time: one back-office e-mail per request and due time.

The due time is the one stored when the request reached staff (`staff_due_at`, working days:
lifecycle.staff_due_at); "overdue" means what the dashboard and the task list mean by it
(selectors_task_list.overdue_condition). Beat runs the sweep every few minutes; each overdue request gets
one outbox event (`request.staff_overdue`, no client id: the client never hears of it), which
notifications mail to its assignee or, while nobody has taken it, to the team's address
(CUSTOMER_SERVICE_EMAIL), once: the delivery's own claim sends each e-mail once. The event is also the
record that the overdue was told: a request is told again only for a later due time (it went to the client
and came back), never per sweep.

The sweep tells every due time that passed since it last completed, however long beat or the worker was
down: the moment of its last completed run is a row of WorkerHeartbeat (`overdue-sweep`), written in the
transaction of the events, and moved only by a run that told everything due before it (not one that hit
its `limit`: the next run goes on from the same place). Only before the sweep's first run does
REQUEST_STAFF_OVERDUE_EMAIL_WINDOW_HOURS (24) bound how far back it looks: the first run after the deploy
would otherwise mail every request ever past due, weeks-old ones and those whose due time the old
calendar-day rule set, flooding the team's mailbox in one morning. Those are not told and not recorded:
they stay red on the task list and counted on the dashboard, where the team works them, and a later due
time of the request is told as usual. The window is looked back over on every run too, because a due time
can be written already past (a complaint's statutory deadline caps it), after a run marked that moment.
Complaints keep their own statutory escalation to the supervisors (complaints.py) besides this one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from backend.core.models import OutboxEvent, WorkerHeartbeat
from backend.requests_app import outbox
from backend.requests_app.models import PortalRequest
from backend.requests_app.selectors_task_list import list_overdue_tasks

# The WorkerHeartbeat row holding the moment of the sweep's last completed run.
SWEEP_MARK = "overdue-sweep"


def _told_since_due() -> Exists:
    """An overdue event of the request written after its current due time: this overdue was told."""
    return Exists(
        OutboxEvent.objects.filter(
            kind=OutboxEvent.Kind.REQUEST_STAFF_OVERDUE,
            subject_type=PortalRequest._meta.label_lower,
            subject_id=OuterRef("pk"),
            created_at__gte=OuterRef("staff_due_at"),
        )
    )


def email_window() -> timedelta:
    """How far back the sweep's first run looks, and every run at least."""
    return timedelta(hours=int(getattr(settings, "REQUEST_STAFF_OVERDUE_EMAIL_WINDOW_HOURS", 24)))


def last_completed_sweep() -> datetime | None:
    """The moment of the sweep's last completed run: every due time before it was told (None: never ran)."""
    return WorkerHeartbeat.objects.filter(name=SWEEP_MARK).values_list("seen_at", flat=True).first()


def _looks_back_to(now: datetime) -> datetime:
    window_start = now - email_window()
    completed = last_completed_sweep()
    return window_start if completed is None else min(completed, window_start)


def _to_tell(now: datetime, since: datetime) -> QuerySet[PortalRequest]:
    return list_overdue_tasks(now=now).filter(staff_due_at__gte=since)


@transaction.atomic
def escalate_overdue_requests(*, now: datetime | None = None, limit: int = 200) -> int:
    """Write the overdue event of each request with staff whose due time passed since the sweep last
    completed (before its first run: within the e-mail window) and was not told yet; return how many.
    The requests are locked before the events are read again, so two sweeps at once tell each once."""
    now = now or timezone.now()
    since = _looks_back_to(now)
    untold_due = list(
        _to_tell(now, since)
        .filter(~_told_since_due())
        .order_by("staff_due_at", "pk")
        .values_list("pk", flat=True)[: limit + 1]
    )
    # Over the limit the rest waits for the next run, which starts from the same mark: the ones told now
    # drop out of its candidates by their events.
    completes = len(untold_due) <= limit
    candidates = untold_due[:limit]
    told = 0
    if candidates:
        # Only the requests' rows: the scope's join to the process instance must not lock the instance too.
        locked = list(
            _to_tell(now, since)
            .select_for_update(of=("self",))
            .filter(pk__in=candidates)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Read after the locks: a sweep that held them first has committed its events by now.
        untold = PortalRequest.objects.filter(pk__in=locked).filter(~_told_since_due()).order_by("pk")
        for portal_request in untold.only("pk", "number", "client_id", "assignee_id", "staff_due_at"):
            outbox.staff_overdue(portal_request)
            told += 1
    if completes:
        # Every due time before `now` is told (or no longer overdue): the next run looks back to here.
        WorkerHeartbeat.objects.update_or_create(name=SWEEP_MARK, defaults={"seen_at": now})
    return told
