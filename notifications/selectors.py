from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import User
from notifications.models import Notice


def list_notices_for_user(*, user: User, unread_only: bool = False) -> QuerySet[Notice]:
    notices = Notice.objects.filter(recipient=user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-id")


def count_unread_notices(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()
