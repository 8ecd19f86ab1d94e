"""Requests still with staff past their due time: one back-office e-mail per request and due time.

The due time is the one stored when the request reached staff (`staff_due_at`, working days:
lifecycle.staff_due_at); "overdue" means what the dashboard and the task list mean by it
(selectors.overdue_condition). Beat runs the sweep every few minutes; each overdue request gets one outbox
event (`request.staff_overdue`, no client id: the client never hears of it), which notifications mail to
its assignee or, while nobody has taken it, to the team's address (CUSTOMER_SERVICE_EMAIL), once: the
delivery's own claim sends each e-mail once. The event is also the record that the overdue was told: a
request is told again only for a later due time (it went to the client and came back), never per sweep.

Only a due time that passed within the last REQUEST_STAFF_OVERDUE_EMAIL_WINDOW_HOURS (24) is told. The
e-mail is news ("this has just gone past its time"), and the sweep tells within minutes of 17:00; without
the window its first run after a deploy (or after the worker was down) would mail every request ever past
due, weeks-old ones and those whose due time the old calendar-day rule set, flooding the team's mailbox
in one morning. An older overdue is not told and not recorded: it stays red on the task list and counted
on the dashboard, where the team works it, and a later due time of the request is told as usual.
Complaints keep their own statutory escalation to the supervisors (complaints.py) besides this one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from backend.core.models import OutboxEvent
from backend.requests_app import outbox
from backend.requests_app.models import PortalRequest
from backend.requests_app.selectors import list_overdue_tasks


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
    """How long after its due time an overdue is still news worth an e-mail."""
    return timedelta(hours=int(getattr(settings, "REQUEST_STAFF_OVERDUE_EMAIL_WINDOW_HOURS", 24)))


def _to_tell(now: datetime) -> QuerySet[PortalRequest]:
    return list_overdue_tasks(now=now).filter(staff_due_at__gte=now - email_window())


@transaction.atomic
def escalate_overdue_requests(*, now: datetime | None = None, limit: int = 200) -> int:
    """Write the overdue event of each request with staff that went past its due time within the e-mail
    window and was not told yet; return how many. The requests are locked before the events are read
    again, so two sweeps at once tell each once."""
    now = now or timezone.now()
    candidates = list(
        _to_tell(now)
        .filter(~_told_since_due())
        .order_by("staff_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not candidates:
        return 0
    # Only the requests' rows: the scope's join to the process instance must not lock the instance too.
    locked = list(
        _to_tell(now)
        .select_for_update(of=("self",))
        .filter(pk__in=candidates)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Read after the locks: a sweep that held them first has committed its events by now.
    untold = PortalRequest.objects.filter(pk__in=locked).filter(~_told_since_due()).order_by("pk")
    told = 0
    for portal_request in untold.only("pk", "number", "client_id", "assignee_id", "staff_due_at"):
        outbox.staff_overdue(portal_request)
        told += 1
    return told
