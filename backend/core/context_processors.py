from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from backend.core.middleware import get_active_client


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bank_simulator_enabled": settings.BANK_SIMULATOR_ENABLED}
    context = {"active_client": get_active_client(request)}
    if user.is_client_user:
        from backend.clients.selectors import list_clients_for_user

        context["user_clients"] = list(list_clients_for_user(user=user)[:50])
    return context
