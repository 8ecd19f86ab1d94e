from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce

from backend.accounts.models import User
from backend.clients.members import MemberAudit
from backend.clients.models import Client, ClientMembership
from backend.core.models import AuditLog
from backend.core.text_search import name_key_words


def list_clients_for_user(*, user: User) -> QuerySet[Client]:
    # A suspended membership hides the company from the switcher too.
    return Client.objects.filter(
        memberships__user=user, memberships__status=ClientMembership.Status.ACTIVE
    ).order_by("name")


def client_name(*, client_id: int) -> str | None:
    """The company's name (staff pages naming a client they filter by), None for an unknown id."""
    return Client.objects.filter(pk=client_id).values_list("name", flat=True).first()


def client_search(text: str, *, path: str = "client") -> Q:
    """Rows whose client (at `path`) has every word of the text in its name (its folded key, Polish letters
    optional both ways: core.text_search.name_key_words, as customer service's client search) or the text
    in its NIP, which is stored as digits: typed with dashes or spaces ("819-039-60-33") it is found.
    The staff task list's and the inbox's search, and the inbox's client filter."""
    text = text.strip()
    condition = name_key_words(text, f"{path}__name_key")
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        condition |= Q(**{f"{path}__nip__contains": digits})
    return condition


def _shown(name: str) -> Coalesce:
    """A name as the administrators see it (ClientMembership.person): an invited person's as typed, so
    even the order of the list says nothing of an account that has not joined."""
    return Coalesce(KeyTextTransform(name, "invitation"), f"user__{name}")


def list_members(*, client: Client) -> QuerySet:
    """The company's users with their roles, contracts and status (the "Użytkownicy" page)."""
    return (
        ClientMembership.objects.filter(client=client)
        .select_related("user")
        .prefetch_related("contracts")
        .order_by(_shown("last_name"), _shown("first_name"), _shown("email"), "pk")
    )


def has_other_active_admin(*, client: Client, membership: ClientMembership) -> bool:
    """Would the company keep an active administrator without this membership? (members.py refuses the
    change that leaves none; a page asks before one that only costs the user their own right.)"""
    return (
        ClientMembership.objects.filter(client=client, is_admin=True, status=ClientMembership.Status.ACTIVE)
        .exclude(pk=membership.pk)
        .exists()
    )


def pending_invitations(*, user: User) -> list[ClientMembership]:
    """The companies that invited this user and wait for an answer (accept or decline)."""
    return list(
        ClientMembership.objects.filter(user=user, status=ClientMembership.Status.INVITED)
        .select_related("client")
        .order_by("created_at", "pk")
    )


def list_member_history(*, client: Client) -> QuerySet[AuditLog]:
    """The audit rows of the administrators' changes to this company's users, newest first."""
    return (
        AuditLog.objects.filter(action__in=MemberAudit.ALL, detail__client_id=client.pk)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


# Audit details of the history that are the portal's, not the company's: the account's id would tell the
# company which person this is across companies (an invitee who never joined included).
_HISTORY_HIDDEN_DETAIL = frozenset({"member_user_id"})


def member_history_actor(row: AuditLog) -> str:
    """Who made a change in the company's history: the invited person answering their own invitation is
    named as the administrator typed them (ClientMembership.person), never by the account's name."""
    detail = row.detail or {}
    if row.action in (MemberAudit.ACCEPTED, MemberAudit.DECLINED):
        return str(detail.get("actor_name") or detail.get("member_email", ""))
    return str(row.user) if row.user is not None else row.username


def member_history_detail(row: AuditLog) -> dict:
    """The details of a history row the company's administrators may read."""
    return {key: value for key, value in (row.detail or {}).items() if key not in _HISTORY_HIDDEN_DETAIL}


def memberships_of_user(*, user: User) -> list[ClientMembership]:
    """The companies a client user belongs to, by name (staff's second-factor reset page)."""
    return list(ClientMembership.objects.filter(user=user).select_related("client").order_by("client__name"))


def search_client_members(*, query: str, limit: int = 50) -> list[ClientMembership]:
    """Staff's search of client users by e-mail, name, company name or NIP (the activation page); names by
    every word in their folded key, as every staff search of names (core.text_search.name_key_words)."""
    query = query.strip()
    if len(query) < 3:
        return []
    digits = query.replace("-", "").replace(" ", "")
    condition = (
        Q(user__email__icontains=query)
        | name_key_words(query, "user__name_key")
        | name_key_words(query, "client__name_key")
    )
    if digits.isdigit():
        condition |= Q(client__nip__startswith=digits)
    return list(
        ClientMembership.objects.filter(condition, user__role=User.Role.CLIENT)
        .select_related("user", "client")
        .order_by("user__last_name", "user__first_name", "user__email", "client__name")[:limit]
    )
