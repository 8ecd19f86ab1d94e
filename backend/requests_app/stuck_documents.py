"""The decision documents an administrator has to know about, and the one thing they can do about them.

Two kinds stay "being prepared" on the client's page: those whose rendering failed (their error kept on
DocumentRender, retried with back-off by beat), and those nobody has tried for too long (the worker or beat
is down, or the task was lost): without an error of their own they showed only as the worker tile's "no
signal". The dashboard lists both (notifications/operations.py); "Render now" renders the document in the
administrator's own request, so it works while the worker that should have done it is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from backend.requests_app.decision_document import PENDING_KEY, render_or_record
from backend.requests_app.models import DocumentRender, RequestEvent

LIST_LIMIT = 50


def failed_documents(*, limit: int = LIST_LIMIT) -> list[DocumentRender]:
    """The pending decision documents that failed to render at least once, oldest first, with their
    request (the admin dashboard lists them with their error and "Retry now")."""
    return list(
        DocumentRender.objects.filter(attempts__gt=0, **{f"event__data__{PENDING_KEY}": True})
        .select_related("event__request")
        .order_by("event_id")[:limit]
    )


def waiting_too_long() -> timedelta:
    return timedelta(minutes=settings.DOCUMENT_WAITING_ALERT_MINUTES)


def waiting_documents(*, limit: int = LIST_LIMIT) -> list[RequestEvent]:
    """The pending decision documents (their history rows, with the request) decided longer ago than
    DOCUMENT_WAITING_ALERT_MINUTES and never failed: no worker has tried them. Oldest first."""
    return list(
        RequestEvent.objects.filter(
            Q(render__isnull=True) | Q(render__attempts=0),
            kind=RequestEvent.Kind.DOCUMENT,
            created_at__lte=timezone.now() - waiting_too_long(),
            **{f"data__{PENDING_KEY}": True},
        )
        .select_related("request")
        .order_by("pk")[:limit]
    )


@dataclass(frozen=True)
class RenderNow:
    """What "Render now" did: rendered, failed (with the error, recorded for the back-off), or nothing
    because the document was no longer pending (rendered meanwhile)."""

    outcome: str  # rendered | failed | not_pending
    error: str = ""


def render_document_now(*, event_id: int) -> RenderNow:
    """An administrator's "Render now": the pending document of history row `event_id` is rendered in
    this process, at once (python-docx takes milliseconds), whether or not a worker is running. Stored
    exactly once however many renderings race (render_pending_document locks its row); a failure counts
    as an attempt, like the worker's."""
    document, failure = render_or_record(event_id)
    if failure is not None:
        return RenderNow("failed", f"{type(failure).__name__}: {failure}")
    return RenderNow("rendered" if document is not None else "not_pending")
