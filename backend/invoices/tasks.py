"""Celery tasks of invoices: the accountant's monthly ZIP, built by the worker, and beat's care of it."""

from __future__ import annotations

from celery import shared_task

from backend.invoices.accounting_exports import (  # the task lives with the service that queues it
    build_accounting_export,
    tend_accounting_exports,
)

__all__ = ["build_accounting_export", "tend_accounting_exports_task"]


@shared_task(name="invoices.tend_accounting_exports")
def tend_accounting_exports_task() -> dict[str, int]:
    """Beat, every minute: re-drive lost exports, fail stalled ones, delete those past their 24 hours."""
    return tend_accounting_exports()
