"""The part of a long message thread its page shows, the client's and staff's alike: the newest messages,
the question that opened the thread, and "Show earlier messages" (`?from=<message id>`, a plain link)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from backend.messaging.models import MessageThread
from backend.messaging.selectors import ThreadPageNotes, thread_page_messages, thread_page_notes


def _id_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def thread_page_part(request: HttpRequest, thread: MessageThread, *, url_name: str) -> dict:
    """The context of the message list: `part` (selectors.ThreadPageMessages) and `live_url`, the page as
    shown now, so a live update adds the new message without taking away the earlier ones shown."""
    part = thread_page_messages(thread=thread, from_id=_id_param(request, "from"))
    live_url = reverse(url_name, args=[thread.pk])
    if part.earlier_count and part.messages:
        live_url += f"?from={part.messages[0].pk}"
    return {"part": part, "live_url": live_url}


def thread_page_notes_part(request: HttpRequest, thread: MessageThread) -> dict:
    """The context of the staff page's internal notes: `notes`, the newest (or from `?notes_from=<note id>`
    on: "Show earlier notes"), and `notes_earlier_query`, that link's query keeping the messages' `from`."""
    notes: ThreadPageNotes = thread_page_notes(thread=thread, from_id=_id_param(request, "notes_from"))
    query = request.GET.copy()
    if notes.earlier_from is not None:
        query["notes_from"] = str(notes.earlier_from)
    return {"notes": notes, "notes_earlier_query": query.urlencode()}
