"""Stored files that no row names: deleted by beat's nightly sweep once ORPHAN_FILES_MAX_AGE_HOURS old.

A file is written before the row that names it, inside the step's transaction (stored_upload,
store_bytes). When that row's own write fails, stored_upload deletes the file at once; but when a larger
transaction around it rolls back later (a decision whose workflow step fails after its permit PDF was
stored, a message refused after its posted files were kept), or the process is killed before its commit,
the file stays with no row: Django tells no one of a rollback. Nothing can download such a file, and it may
hold a client's personal data, so it goes. The sweep is what makes that certain, whatever ended the
transaction; the age keeps it away from files whose transaction is still open.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# The folders under MEDIA_ROOT whose every file belongs to a row with a FileField (uploads, attachments,
# issued documents). Not pdf-store/ (a cache with its own pruning) nor exports/ (their own lifetime).
SWEPT_FOLDERS = ("request_attachments", "messages", "documents")
NAMES_PER_QUERY = 500


def orphan_files_max_age() -> timedelta:
    return timedelta(hours=settings.ORPHAN_FILES_MAX_AGE_HOURS)


def delete_orphan_files(*, older_than: timedelta | None = None) -> int:
    """Delete the files of SWEPT_FOLDERS last written more than `older_than` ago that no row names;
    return how many were deleted."""
    cutoff = timezone.now() - (older_than if older_than is not None else orphan_files_max_age())
    deleted = 0
    batch: list[str] = []
    for name in _files_written_before(cutoff):
        batch.append(name)
        if len(batch) == NAMES_PER_QUERY:
            deleted += _delete_unnamed(batch)
            batch = []
    if batch:
        deleted += _delete_unnamed(batch)
    if deleted:
        # More than a few a day means a step that stores files and then fails: worth a look in the logs.
        logger.warning("Deleted %d stored files no row names (written before %s)", deleted, cutoff)
    return deleted


def _file_fields() -> list[tuple[type[models.Model], str]]:
    """Every model field of every installed app that names a stored file."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def _files_written_before(cutoff: datetime) -> Iterator[str]:
    for folder in SWEPT_FOLDERS:
        if default_storage.exists(folder):
            yield from _walk(folder, cutoff)


def _walk(folder: str, cutoff: datetime) -> Iterator[str]:
    subfolders, files = default_storage.listdir(folder)
    for file_name in files:
        name = f"{folder}/{file_name}"
        try:
            if default_storage.get_modified_time(name) < cutoff:
                yield name
        except OSError:  # deleted meanwhile
            continue
    for subfolder in subfolders:
        yield from _walk(f"{folder}/{subfolder}", cutoff)


def _delete_unnamed(names: list[str]) -> int:
    named: set[str] = set()
    for model, field in _file_fields():
        named.update(model._base_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    deleted = 0
    for name in names:
        if name in named:
            continue
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the stored file %s that no row names", name, exc_info=True)
            continue
        deleted += 1
    return deleted
