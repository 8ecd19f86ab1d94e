from __future__ import annotations

from django.db.models import Q, QuerySet

from backend.accounts.models import User
from backend.clients import access_rules
from backend.clients.models import Client, ClientMembership
from notifications.models import Notice, NotificationPreference
from notifications.subjects import SUBJECT_AREAS


def visible_notices(*, user: User, client: Client | None) -> QuerySet[Notice]:
    """Return the user's notices the bell may show now (checked on every read): the list, the count and
    marking them read all go through here.

    A client user sees those of the client they act for (`request.active_client`, an active membership)
    and those of no client: a notice of another company links to pages that are 404 in this one, and a
    revoked membership must not keep showing its request numbers and stages. Of that client only those
    the membership's role and contracts cover now (clients/access_rules.py): a role changed to one without
    requests hides the request notices, whose links would be refused. Anyone else sees the notices of the
    clients they belong to (none for the back office) and those of no client.
    """
    if user.is_client_user:
        scope = Q(client__isnull=True)
        if client is not None:
            scope |= Q(client=client) & _covered(client, user)
    else:
        member_of = ClientMembership.objects.filter(user=user).values("client_id")
        scope = Q(client__isnull=True) | Q(client_id__in=member_of)
    return Notice.objects.filter(scope, recipient=user)


def _covered(client: Client, user: User) -> Q:
    """The client's notices whose subject the acting user's role and contracts cover."""
    membership = access_rules.membership_of(client)
    if membership is None:  # a client not bound by the middleware: read the membership
        membership = ClientMembership.objects.filter(user=user, client=client).first()
    ids = access_rules.visible_contract_ids(membership)
    condition = Q()
    for subject_type, rule in SUBJECT_AREAS.items():  # subjects of other types are every member's
        of_type = Q(subject_type=subject_type)
        model = rule.contract_scoped_model
        if not access_rules.can(membership, rule.area):
            condition &= ~of_type
        elif ids is not None and model is not None:
            # One tied to no contract: only its author's among limited members (access_rules.object_visible).
            own = Q(contract__isnull=True, **{rule.author_field: user.pk})
            visible = model.objects.filter(Q(contract__in=ids) | own, client=client)
            condition &= ~of_type | Q(subject_id__in=visible.values("pk"))
    return condition


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
