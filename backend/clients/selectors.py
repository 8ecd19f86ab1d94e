from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import User
from backend.clients.models import Client


def list_clients_for_user(*, user: User) -> QuerySet[Client]:
    return Client.objects.filter(memberships__user=user).order_by("name")


def get_client_for_user(*, user: User, client_id: int) -> Client | None:
    return list_clients_for_user(user=user).filter(pk=client_id).first()
