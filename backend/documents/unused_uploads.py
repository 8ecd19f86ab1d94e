"""Uploads nobody used: files a client checked in while filling a form that was then never sent.

A request's or message's attachment is uploaded first and bound when the form is sent, so a closed tab or
an abandoned form leaves a stored file with no request or message. Past UNUSED_UPLOADS_MAX_AGE such a file
can no longer be bound (the page that held its id is long gone: drafts keep no attachment ids), so its
row and its file are deleted: nothing personal is kept without a purpose.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

ROWS_PER_TRANSACTION = 500


def unused_uploads_max_age() -> timedelta:
    return timedelta(hours=settings.UNUSED_UPLOADS_MAX_AGE_HOURS)


def delete_unused_uploads(model: type[Model], *, unbound: Q, older_than: timedelta | None = None) -> int:
    """Delete the rows of `model` matching `unbound` (not in any request or message) created more than
    `older_than` ago, and then their files; return how many rows were deleted.

    Rows are taken under lock (skipping rows a send is binding right now) in transactions of
    ROWS_PER_TRANSACTION; each file goes after its row's deletion has committed, so a rolled-back
    deletion never leaves a row without its file.
    """
    cutoff = timezone.now() - (older_than if older_than is not None else unused_uploads_max_age())
    deleted = 0
    while True:
        with transaction.atomic():
            rows = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(unbound, created_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", "file")[:ROWS_PER_TRANSACTION]
            )
            if not rows:
                break
            model.objects.filter(unbound, pk__in=[pk for pk, _name in rows]).delete()
            names = [name for _pk, name in rows if name]
            transaction.on_commit(lambda names=names: _delete_files(names))
        deleted += len(rows)
    if deleted:
        logger.info("Deleted %d unused uploads (%s) older than %s", deleted, model._meta.label, cutoff)
    return deleted


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            # The row is gone either way; the log says which file to remove by hand.
            logger.warning("Could not delete the unused upload's file %s", name, exc_info=True)
