"""Hand freshly committed outbox events to their consumers (registered in NotificationsConfig.ready)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def dispatch_notifications(event_ids: list[int]) -> None:
    """Queue one notification task for the events of a commit; if the broker is down, beat catches up."""
    from notifications.tasks import create_notifications_for_events

    if not event_ids:
        return
    try:
        create_notifications_for_events.delay(event_ids)
    except Exception:  # the commit already happened; never turn it into an error page
        logger.exception("Could not queue notifications of outbox events %s", event_ids)
