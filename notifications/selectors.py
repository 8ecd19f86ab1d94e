from __future__ import annotations

from django.db.models import Q, QuerySet

from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership
from notifications.models import Notice, NotificationPreference


def visible_notices(*, user: User, client: Client | None) -> QuerySet[Notice]:
    """Return the user's notices the bell may show now (checked on every read): the list, the count and
    marking them read all go through here.

    A client user sees those of the client they act for (`request.active_client`, an active membership)
    and those of no client: a notice of another company links to pages that are 404 in this one, and a
    revoked membership must not keep showing its request numbers and stages. Anyone else sees the
    notices of the clients they belong to (none for the back office) and those of no client.
    """
    if user.is_client_user:
        scope = Q(client__isnull=True) | Q(client=client) if client is not None else Q(client__isnull=True)
    else:
        member_of = ClientMembership.objects.filter(user=user).values("client_id")
        scope = Q(client__isnull=True) | Q(client_id__in=member_of)
    return Notice.objects.filter(scope, recipient=user)


def list_notices_for_user(
    *, user: User, client: Client | None, unread: bool | None = None
) -> QuerySet[Notice]:
    """Newest first: only the unread notices (True), only the read ones (False) or all (None)."""
    notices = visible_notices(user=user, client=client)
    if unread is not None:
        notices = notices.filter(read_at__isnull=unread)
    return notices.order_by("-created_at", "-id")


def count_unread_notices(*, user: User, client: Client | None) -> int:
    return visible_notices(user=user, client=client).filter(read_at__isnull=True).count()


def get_notification_preferences(*, user: User) -> NotificationPreference:
    """Return the user's saved preferences, or the defaults (not saved) when they never chose."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
