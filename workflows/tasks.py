"""Celery tasks of the workflow engine."""

from __future__ import annotations

from celery import shared_task

from workflows.services import sweep_due_timers


@shared_task(name="workflows.sweep_due_timers")
def sweep_due_timers_task() -> int:
    """Fire the timers that are due (run every minute by beat)."""
    return sweep_due_timers()
