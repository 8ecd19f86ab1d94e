"""Celery tasks of documents: beat's pruning of the rendered PDFs' store and of stored files no row names."""

from __future__ import annotations

from celery import shared_task

from backend.documents.orphan_files import delete_orphan_files
from backend.documents.pdf_store import prune_pdf_store


@shared_task(name="documents.prune_pdf_store")
def prune_pdf_store_task() -> int:
    """Beat, daily: the rendered PDFs not read for a month, and the least recently read over the cap."""
    return prune_pdf_store()


@shared_task(name="documents.delete_orphan_files")
def delete_orphan_files_task() -> int:
    """Beat, daily: stored files a rolled-back or killed transaction left with no row (orphan_files.py)."""
    return delete_orphan_files()
