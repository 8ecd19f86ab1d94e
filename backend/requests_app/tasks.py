"""Celery tasks of requests: the timer sweep, the decision document rendered after the deciding step
has committed, and the nightly deletion of attachments of requests never sent."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db.models import Q

from backend.documents.unused_uploads import delete_unused_uploads
from backend.requests_app.decision_document import (  # the task lives with the step that queues it
    redrive_pending_documents,
    render_decision_document,
    render_decision_documents,
)
from backend.requests_app.models import RequestAttachment

__all__ = [
    "redrive_decision_documents",
    "render_decision_document",
    "render_decision_documents",
    "sweep_due_timers_task",
    "escalate_overdue_requests_task",
    "delete_unused_attachments",
]


@shared_task(acks_late=True)
def redrive_decision_documents() -> int:
    """Beat, every minute: queue again the documents whose task was lost (broker down, worker killed) or
    whose back-off after a failed attempt is over; one attempt at a time per document, however many
    copies of this task beat queued while the worker was away."""
    return len(redrive_pending_documents(older_than=timedelta(minutes=1)))


@shared_task(name="requests_app.sweep_due_timers")
def sweep_due_timers_task() -> int:
    """Beat, every minute: fire the BPMN timers that are due (backend/requests_app/timers.py)."""
    from backend.requests_app.timers import sweep_due_timers

    return sweep_due_timers()


@shared_task(name="requests_app.escalate_overdue_requests")
def escalate_overdue_requests_task() -> int:
    """Beat, every five minutes: tell staff once of each request past its due time (overdue.py)."""
    from backend.requests_app.overdue import escalate_overdue_requests

    return escalate_overdue_requests()


@shared_task(name="requests_app.delete_unused_attachments")
def delete_unused_attachments() -> int:
    """Beat, daily: delete the attachments uploaded for requests that were never sent, and their files."""
    return delete_unused_uploads(RequestAttachment, unbound=Q(request__isnull=True))
