"""The admin dashboard's health of operations: the outbox, e-mail deliveries, workflow incidents, the
decision documents that fail to render, the Celery worker's heartbeat, users, and the readiness checks
of /readyz (the same functions: the dashboard never says "healthy" while /readyz answers 503).

Here, not in requests_app, because it reads the notifications app's deliveries (notifications sit above
the domain apps: they read the outbox, never the reverse).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from backend.accounts.models import User
from backend.core.health import NamedCheck, WorkerState, system_checks, worker_state
from backend.core.models import OutboxEvent
from backend.requests_app.models import DocumentRender, RequestEvent
from backend.requests_app.stuck_documents import failed_documents, waiting_documents
from notifications.models import Delivery
from notifications.services import RETRY_DELAY_MAX
from workflows.models import Incident, ProcessInstance


@dataclass(frozen=True)
class Operations:
    outbox_backlog: int  # events older than a few minutes no consumer has handled
    failed_deliveries: int
    pending_deliveries: int
    email: EmailHealth  # whether e-mails fail now, long before a delivery is failed for good
    open_incidents: int
    retrying_incidents: int
    running_instances: int
    users_by_role: list[tuple[str, int]]
    failed_documents: list[DocumentRender]  # pending decision documents that failed, with their error
    # pending decision documents no worker has tried for too long (worker or beat down, task lost)
    waiting_documents: list[RequestEvent]
    waiting_alert_minutes: int  # how long "too long" is (DOCUMENT_WAITING_ALERT_MINUTES)
    worker: WorkerState  # "worker not seen for N min" once beat's heartbeat stops (backend/core/health.py)
    checks: list[NamedCheck]  # /readyz's checks; the worker's has its own tile (worker)

    @property
    def failed_checks(self) -> list[NamedCheck]:
        return [check for check in self.checks if not check.ok]


OUTBOX_GRACE = timedelta(minutes=5)
# A failed attempt this recent, with no e-mail sent since, means sending is broken now. As long as the
# longest back-off: every delivery still trying has had an attempt within it.
EMAIL_FAILING_WINDOW = RETRY_DELAY_MAX


@dataclass(frozen=True)
class EmailHealth:
    """Whether the latest attempt to send an e-mail failed (recently, and nothing was sent since): the mail
    server is down or the mail configuration broken. Seen at the first failed attempt, while the retry
    policy still has hours to go before a delivery counts as failed."""

    failing: bool
    retrying: int  # deliveries pending again after a failed attempt
    last_error: str
    last_failed_at: datetime | None


# A delivery whose latest attempt failed: pending again (its back-off) or failed for good, with the error.
_LAST_ATTEMPT_FAILED = Q(
    status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED], claimed_at__isnull=False
) & ~Q(last_error="")


def email_health(
    *, retrying: int, last_failed_at: datetime | None, last_sent_at: datetime | None
) -> EmailHealth:
    """From the counts' query; the error's text is read (one query) only when e-mails are failing."""
    failing = (
        last_failed_at is not None
        and last_failed_at >= timezone.now() - EMAIL_FAILING_WINDOW
        and (last_sent_at is None or last_sent_at < last_failed_at)
    )
    if not failing:
        return EmailHealth(False, retrying, "", last_failed_at)
    error = (
        Delivery.objects.filter(_LAST_ATTEMPT_FAILED, claimed_at=last_failed_at)
        .values_list("last_error", flat=True)
        .first()
    )
    return EmailHealth(True, retrying, error or "", last_failed_at)


def operations() -> Operations:
    """Health of the moving parts an administrator watches: 8 queries (one more while e-mails fail) and
    /readyz's checks (one more)."""
    backlog = OutboxEvent.objects.filter(
        notified_at__isnull=True, created_at__lt=timezone.now() - OUTBOX_GRACE
    ).count()
    deliveries = Delivery.objects.order_by().aggregate(
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        pending=Count("pk", filter=Q(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])),
        retrying=Count("pk", filter=Q(status=Delivery.Status.PENDING) & ~Q(last_error="")),
        last_sent_at=Max("sent_at"),
        last_failed_at=Max("claimed_at", filter=_LAST_ATTEMPT_FAILED),
    )
    incidents = Incident.objects.order_by().aggregate(
        open=Count("pk", filter=Q(status=Incident.Status.OPEN)),
        retrying=Count("pk", filter=Q(status=Incident.Status.RETRYING)),
    )
    running = ProcessInstance.objects.filter(status=ProcessInstance.Status.RUNNING).count()
    worker = worker_state()
    roles = dict(User.objects.filter(is_active=True).order_by().values_list("role").annotate(n=Count("pk")))
    return Operations(
        outbox_backlog=backlog,
        failed_deliveries=deliveries["failed"],
        pending_deliveries=deliveries["pending"],
        email=email_health(
            retrying=deliveries["retrying"],
            last_failed_at=deliveries["last_failed_at"],
            last_sent_at=deliveries["last_sent_at"],
        ),
        open_incidents=incidents["open"],
        retrying_incidents=incidents["retrying"],
        running_instances=running,
        users_by_role=[(str(label), roles.get(role, 0)) for role, label in User.Role.choices],
        failed_documents=failed_documents(),
        waiting_documents=waiting_documents(),
        waiting_alert_minutes=settings.DOCUMENT_WAITING_ALERT_MINUTES,
        worker=worker,
        checks=system_checks(worker=worker),
    )
