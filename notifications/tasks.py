"""Celery tasks that deliver outbox events. Every task takes ids and is safe to run twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError

from backend.core.mail import EMAIL_TASK_OPTIONS, RETRYABLE_EMAIL_ERRORS
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
    e-mail); one that fails goes to its own task, which retries it with back-off. The delivery's claim
    keeps each to one sending either way; should the claim itself fail, every e-mail goes to its task."""
    if not delivery_ids:
        return
    try:
        _sent, failures = services.send_deliveries(delivery_ids=delivery_ids)
    except Exception:
        logger.warning("Sending %s e-mails failed; their tasks retry them", len(delivery_ids), exc_info=True)
        failures = [(delivery_id, None) for delivery_id in delivery_ids]
    for delivery_id, error in failures:
        if error is not None:
            logger.warning("E-mail delivery %s failed; its task retries it", delivery_id, exc_info=error)
        send_delivery.delay(delivery_id)


# Seven retries after the batch's own attempt: nine of MAX_ATTEMPTS (10), so a delivery the mail server
# kept refusing is still pending, for the relay to try once more when this chain is abandoned.
@shared_task(**{**EMAIL_TASK_OPTIONS, "max_retries": 7})
def send_delivery(delivery_id: int) -> None:
    services.send_delivery(delivery_id=delivery_id)


@shared_task(acks_late=True)
def relay_outbox() -> dict[str, int]:
    """Re-queue what a crash after commit left behind: events never notified, deliveries never sent.

    Runs every minute from beat; the minute of grace lets the on-commit dispatch do its work first.
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
