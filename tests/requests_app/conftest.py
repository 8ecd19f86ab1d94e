"""Fixtures of the request tests."""

from __future__ import annotations

import pytest

from backend.requests_app import tasks
from notifications import tasks as notification_tasks


@pytest.fixture
def queued(settings, monkeypatch) -> list[int]:
    """A real worker's set-up: tasks go to the broker after commit; here they are only collected."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.TASK_BATCH_SECONDS = (
        0  # each commit's message at once (batching: tests/core/test_task_batches.py)
    )
    ids: list[int] = []
    monkeypatch.setattr(tasks.render_decision_documents, "delay", ids.extend)
    monkeypatch.setattr(notification_tasks.create_notifications_for_events, "delay", lambda ids: None)
    return ids
