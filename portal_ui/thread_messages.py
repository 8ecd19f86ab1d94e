"""The part of a long message thread its page shows, the client's and staff's alike: the newest messages,
the question that opened the thread, and "Show earlier messages" (`?from=<message id>`, a plain link)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from backend.messaging.models import MessageThread
from backend.messaging.selectors import thread_page_messages


def thread_page_part(request: HttpRequest, thread: MessageThread, *, url_name: str) -> dict:
    """The context of the message list: `part` (selectors.ThreadPageMessages) and `live_url`, the page as
    shown now, so a live update adds the new message without taking away the earlier ones shown."""
    raw = request.GET.get("from", "")
    from_id = int(raw) if raw.isdigit() and len(raw) <= 18 else None
    part = thread_page_messages(thread=thread, from_id=from_id)
    live_url = reverse(url_name, args=[thread.pk])
    if part.earlier_count and part.messages:
        live_url += f"?from={part.messages[0].pk}"
    return {"part": part, "live_url": live_url}
