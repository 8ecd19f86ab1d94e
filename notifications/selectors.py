from __future__ import annotations

from django.db.models import Q, QuerySet

from backend.accounts.models import User
from backend.clients.models import ClientMembership
from notifications.models import Notice, NotificationPreference


def visible_notices(*, user: User) -> QuerySet[Notice]:
    """Return the user's notices of clients the user still belongs to (checked on every read).

    A notice copies the client's request number and stage; once the membership is revoked the user
    must not keep reading, counting or opening them.
    """
    member_of = ClientMembership.objects.filter(user=user).values("client_id")
    return Notice.objects.filter(Q(client__isnull=True) | Q(client_id__in=member_of), recipient=user)


def list_notices_for_user(*, user: User, unread_only: bool = False) -> QuerySet[Notice]:
    notices = visible_notices(user=user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-id")


def count_unread_notices(*, user: User) -> int:
    return visible_notices(user=user).filter(read_at__isnull=True).count()


def get_notification_preferences(*, user: User) -> NotificationPreference:
    """Return the user's saved preferences, or the defaults (not saved) when they never chose."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
