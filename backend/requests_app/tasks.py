"""Celery tasks of requests: the timer sweep, and the decision document rendered after the deciding step
has committed."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def render_decision_document(event_id: int) -> int | None:
    """Render the pending document of history row `event_id`; a second run finds it done."""
    from backend.requests_app.decision_document import render_pending_document

    document = render_pending_document(event_id)
    return document.pk if document else None


@shared_task(acks_late=True)
def redrive_decision_documents() -> int:
    """Beat, every minute: queue again the documents whose task was lost (broker down, worker killed)."""
    from backend.requests_app.decision_document import pending_document_ids

    event_ids = pending_document_ids(older_than=timedelta(minutes=1))
    for event_id in event_ids:
        render_decision_document.delay(event_id)
    return len(event_ids)


@shared_task(name="requests_app.sweep_due_timers")
def sweep_due_timers_task() -> int:
    """Beat, every minute: fire the BPMN timers that are due (backend/requests_app/timers.py)."""
    from backend.requests_app.timers import sweep_due_timers

    return sweep_due_timers()
