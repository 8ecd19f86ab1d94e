"""Turn outbox events into notices and e-mails, each exactly once per recipient.

`create_notifications` is idempotent (unique rows, `ignore_conflicts`), `send_delivery` claims a delivery
with a conditional UPDATE before talking to SMTP. A task redelivered after a worker died therefore makes
no second notice and sends no second e-mail for a delivery already marked sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.core.models import OutboxEvent
from notifications.emails import build_email
from notifications.models import Delivery, Notice
from notifications.selectors import visible_notices

logger = logging.getLogger(__name__)

Kind = OutboxEvent.Kind

# A delivery claimed longer ago than this is taken as abandoned by a dead worker and may be re-sent.
SENDING_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10


@dataclass(frozen=True)
class NotificationPlan:
    template: str | None  # e-mail template name, None for no e-mail
    notice: bool


_PLANS: dict[str, NotificationPlan] = {
    Kind.REQUEST_STAGE_CHANGED: NotificationPlan("stage_changed", notice=True),
    Kind.REQUEST_WAITING_FOR_CLIENT: NotificationPlan("waiting_for_client", notice=True),
    Kind.REQUEST_REMINDER: NotificationPlan("reminder", notice=True),
    Kind.REQUEST_DECIDED: NotificationPlan("decided", notice=True),
    Kind.MESSAGE_ANSWERED: NotificationPlan("message_answered", notice=True),
}
_NOTHING = NotificationPlan(None, notice=False)
# These stage changes come with their own event (waiting for the client, decided) in the same commit:
# one e-mail says it, not two.
_STATUSES_WITH_OWN_EVENT = {"waiting_for_client", "approved", "rejected"}


def plan_for_event(event: OutboxEvent) -> NotificationPlan:
    """Return what the event notifies: only the client's first invoice opens access (welcome e-mail)."""
    if event.kind == Kind.INVOICE_ISSUED:
        if event.payload.get("first_for_client") is True:
            return NotificationPlan("welcome", notice=False)
        return _NOTHING
    if event.kind == Kind.REQUEST_STAGE_CHANGED and event.payload.get("status") in _STATUSES_WITH_OWN_EVENT:
        return _NOTHING
    return _PLANS.get(event.kind, _NOTHING)


def list_recipients(*, event: OutboxEvent) -> QuerySet[User]:
    """Return the active client users of the event's client (they all see the client's requests)."""
    if event.client_id is None:
        return User.objects.none()
    return (
        User.objects.filter(memberships__client_id=event.client_id, is_active=True, role=User.Role.CLIENT)
        .distinct()
        .order_by("id")
    )


_NOTICE_PAYLOAD_KEYS = ("request_id", "number", "stage", "status", "waiting_for", "thread_id", "subject")


@transaction.atomic
def create_notifications(*, event_id: int) -> list[int]:
    """Create the event's notices and delivery rows once; return the ids of deliveries still to send."""
    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None:
        return []
    plan = plan_for_event(event)
    recipients = list(list_recipients(event=event)) if plan.template or plan.notice else []
    if plan.notice:
        payload = {key: event.payload[key] for key in _NOTICE_PAYLOAD_KEYS if key in event.payload}
        Notice.objects.bulk_create(
            [
                Notice(
                    recipient=user,
                    event=event,
                    kind=event.kind,
                    client_id=event.client_id,
                    subject_type=event.subject_type,
                    subject_id=event.subject_id,
                    payload=payload,
                )
                for user in recipients
            ],
            ignore_conflicts=True,
        )
    if plan.template:
        Delivery.objects.bulk_create(
            [Delivery(event=event, recipient=user, template=plan.template) for user in recipients],
            ignore_conflicts=True,
        )
    OutboxEvent.objects.filter(pk=event.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return list(
        Delivery.objects.filter(event=event, status=Delivery.Status.PENDING).values_list("id", flat=True)
    )


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - SENDING_LEASE
    )
    with transaction.atomic():
        return bool(
            Delivery.objects.filter(claimable, pk=delivery_id).update(
                status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
        )


def send_delivery(*, delivery_id: int) -> bool:
    """Send one delivery's e-mail unless it is sent or being sent; return whether this call sent it.

    The database transaction is not held while SMTP talks: on SQLite that would block every writer.
    Should the worker die between SMTP's acceptance and the final UPDATE, the lease expires and the
    mail goes again with the same Message-ID, which mail clients use to drop the duplicate.
    """
    if not _claim(delivery_id):
        return False
    delivery = Delivery.objects.select_related("event", "recipient").get(pk=delivery_id)
    try:
        build_email(delivery).send()
    except Exception as exc:
        status = Delivery.Status.FAILED if delivery.attempts >= MAX_ATTEMPTS else Delivery.Status.PENDING
        Delivery.objects.filter(pk=delivery_id).update(status=status, last_error=repr(exc)[:2000])
        raise
    Delivery.objects.filter(pk=delivery_id).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def list_events_to_renotify(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Return ids of events whose notifications were never made (the process died after commit)."""
    cutoff = timezone.now() - older_than
    return list(
        OutboxEvent.objects.filter(notified_at__isnull=True, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


# Between attempts Celery's own retry (with backoff) owns a failed delivery; the relay steps in only
# when that chain is gone (its task lost or its retries used up) for this long.
ABANDONED_RETRY_AFTER = timedelta(hours=1)


def list_deliveries_to_resend(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Return ids of deliveries whose task was lost, stuck sending past the lease, or whose retries ended."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING, claimed_at__isnull=True, created_at__lt=now - older_than)
            | Q(status=Delivery.Status.PENDING, claimed_at__lt=now - ABANDONED_RETRY_AFTER)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - SENDING_LEASE)
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def mark_notice_read(*, user: User, notice_id: int) -> Notice | None:
    notice = visible_notices(user=user).filter(pk=notice_id).first()
    if notice is not None and notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def mark_all_notices_read(*, user: User) -> int:
    return visible_notices(user=user).filter(read_at__isnull=True).update(read_at=timezone.now())
