"""Celery tasks of documents: beat's pruning of the rendered PDFs' store."""

from __future__ import annotations

from celery import shared_task

from backend.documents.pdf_store import prune_pdf_store


@shared_task(name="documents.prune_pdf_store")
def prune_pdf_store_task() -> int:
    """Beat, daily: the rendered PDFs not read for a month, and the least recently read over the cap."""
    return prune_pdf_store()
