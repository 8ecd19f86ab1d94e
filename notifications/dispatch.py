"""Hand freshly committed outbox events to their consumers (registered in NotificationsConfig.ready)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def dispatch_notifications(event_ids: list[int]) -> None:
    """Queue the notification task of each event; if the broker is down, the beat relay catches up."""
    from notifications.tasks import create_notifications

    for event_id in event_ids:
        try:
            create_notifications.delay(event_id)
        except Exception:  # the commit already happened; never turn it into an error page
            logger.exception("Could not queue notifications of outbox event %s", event_id)
