"""Celery tasks that deliver outbox events. Every task takes ids and is safe to run twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError

from backend.core.mail import RETRYABLE_EMAIL_ERRORS
from notifications import services

logger = logging.getLogger(__name__)

RETRYABLE = RETRYABLE_EMAIL_ERRORS
# Making notices only touches the database: retry soon when it was busy or away.
NOTICE_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**NOTICE_TASK_OPTIONS)
def create_notifications(event_id: int) -> None:
    """One event's notices and deliveries (the relay's re-drive), then its e-mails as a batch's."""
    send_deliveries_here(services.create_notifications(event_id=event_id))


@shared_task(**NOTICE_TASK_OPTIONS)
def create_notifications_for_events(event_ids: list[int]) -> None:
    """The events of the commits of a moment (backend/core/task_batches.py) in one transaction: on SQLite
    each transaction the worker opens is one more wait for the web's steps, and one per event cost the
    worker more CPU and the web fewer steps/s at 4 clients (bench/bench_http.py); a retry redoes only
    what is still missing."""
    send_deliveries_here(services.create_notifications_for_events(event_ids=event_ids))  # after the commit


def send_deliveries_here(delivery_ids: list[int]) -> None:
    """Send the e-mails in this task (a message and a task per e-mail cost the worker more CPU than the
    e-mail). One that fails keeps its error and its next attempt's time on its row, and beat's relay
    sends it then (services.retry_delay): no task of its own, so copies of this task re-queued while the
    worker was away cannot spend its attempts at once. Should the claim itself fail (the database busy),
    every e-mail goes to its own task, retried soon."""
    if not delivery_ids:
        return
    try:
        _sent, failures = services.send_deliveries(delivery_ids=delivery_ids)
    except Exception:
        logger.warning("Sending %s e-mails failed; their tasks retry them", len(delivery_ids), exc_info=True)
        for delivery_id in delivery_ids:
            send_delivery.delay(delivery_id)
        return
    _log_failures(failures)


@shared_task(**NOTICE_TASK_OPTIONS)
def send_delivery_batch(delivery_ids: list[int]) -> None:
    """Deliveries an operator sent again (services.resend_deliveries), in one task."""
    send_deliveries_here(delivery_ids)


# A mail server's refusal is recorded on the delivery, retried by the relay after its back-off (the
# row, not a Celery countdown, owns the schedule); only a busy database is retried here, at once.
@shared_task(**NOTICE_TASK_OPTIONS)
def send_delivery(delivery_id: int) -> None:
    _sent, failures = services.send_deliveries(delivery_ids=[delivery_id])
    _log_failures(failures)


def _log_failures(failures: list[tuple[int, Exception]]) -> None:
    for delivery_id, error in failures:
        logger.warning(
            "E-mail delivery %s failed; retried after its back-off unless out of attempts",
            delivery_id,
            exc_info=error,
        )


@shared_task(acks_late=True)
def relay_outbox() -> dict[str, int]:
    """Re-queue what a crash after commit left behind (events never notified, deliveries never sent) and
    the deliveries whose back-off after a failure is over.

    Runs every minute from beat; the minute of grace lets the on-commit dispatch do its work first. Copies
    it queues while the worker is away are harmless: a delivery is claimed by one of them, and after a
    failure none is due again before its next_retry_at.
    """
    from notifications.push import expire_stale_push_events

    events = services.list_events_to_renotify(older_than=timedelta(minutes=1))
    for event_id in events:
        create_notifications.delay(event_id)
    deliveries = services.list_deliveries_to_resend(older_than=timedelta(minutes=2))
    for delivery_id in deliveries:
        send_delivery.delay(delivery_id)
    expired = expire_stale_push_events()
    if events or deliveries:
        logger.info("Outbox relay re-queued %s events and %s e-mails", len(events), len(deliveries))
    return {"events": len(events), "deliveries": len(deliveries), "push_expired": expired}


@shared_task(acks_late=True, autoretry_for=RETRYABLE, retry_backoff=60, retry_backoff_max=3600, max_retries=5)
def send_staff_digests() -> int:
    """Send today's digest to every staff member who asked for it; a rerun the same day sends nothing new."""
    from django.utils import timezone

    day = timezone.localdate()
    sent = 0
    for user in services.list_digest_recipients():
        sent += services.send_staff_digest(user=user, day=day)
    return sent
