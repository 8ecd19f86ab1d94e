"""Template context of a logged-in user: the client acted for, and a client user's clients (the switcher)."""

from __future__ import annotations

from django.http import HttpRequest

from backend.clients.selectors import list_clients_for_user


def active_client(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"active_client": getattr(request, "active_client", None)}
    if user.is_client_user:
        context["user_clients"] = list(list_clients_for_user(user=user)[:50])
    return context
