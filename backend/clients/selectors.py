from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import User
from backend.clients.members import MemberAudit
from backend.clients.models import Client, ClientMembership
from backend.core.models import AuditLog


def list_clients_for_user(*, user: User) -> QuerySet[Client]:
    # A suspended membership hides the company from the switcher too.
    return Client.objects.filter(
        memberships__user=user, memberships__status=ClientMembership.Status.ACTIVE
    ).order_by("name")


def list_members(*, client: Client) -> QuerySet:
    """The company's users with their roles, contracts and status (the "Użytkownicy" page)."""
    return (
        ClientMembership.objects.filter(client=client)
        .select_related("user")
        .prefetch_related("contracts")
        .order_by("user__last_name", "user__first_name", "user__email", "pk")
    )


def list_member_history(*, client: Client) -> QuerySet[AuditLog]:
    """The audit rows of the administrators' changes to this company's users, newest first."""
    return (
        AuditLog.objects.filter(action__in=MemberAudit.ALL, detail__client_id=client.pk)
        .select_related("user")
        .order_by("-created_at", "-id")
    )
