"""Hand freshly committed outbox events to their consumers (registered in NotificationsConfig.ready)."""

from __future__ import annotations

from backend.core.task_batches import publish_ids


def dispatch_notifications(event_ids: list[int]) -> None:
    """Queue the events of a commit for their notices, batched with the process's other commits of the
    moment (backend/core/task_batches.py); if the broker is down, the beat's relay catches up."""
    from notifications.tasks import create_notifications_for_events

    publish_ids(create_notifications_for_events, event_ids)
