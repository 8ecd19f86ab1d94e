"""Hand freshly committed outbox events to their consumers (registered in NotificationsConfig.ready)."""

from __future__ import annotations

from backend.core.task_batches import publish_ids


def dispatch_notifications(event_ids: list[int]) -> None:
    """Queue the events of a commit for their notices, batched with the process's other commits of the
    moment (backend/core/task_batches.py); if the broker is down, the beat's relay catches up."""
    from notifications.tasks import create_notifications_for_events

    publish_ids(create_notifications_for_events, event_ids)


def send_deliveries_soon(delivery_ids: list[int]) -> None:
    """Queue the sending of deliveries made due by hand (services.resend_deliveries), after commit."""
    from notifications.tasks import send_delivery_batch

    publish_ids(send_delivery_batch, delivery_ids)
