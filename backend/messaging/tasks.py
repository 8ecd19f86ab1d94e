"""Celery tasks of messaging."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Q

from backend.documents.unused_uploads import delete_unused_uploads
from backend.messaging.models import MessageAttachment


@shared_task(name="messaging.delete_unused_attachments")
def delete_unused_attachments() -> int:
    """Beat, daily: delete the attachments uploaded for messages that were never sent, and their files."""
    return delete_unused_uploads(MessageAttachment, unbound=Q(message__isnull=True))
