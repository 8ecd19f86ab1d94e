"""Resolve the client the logged-in user acts for (kept in the session, re-checked every request)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from backend.clients.models import Client

ACTIVE_CLIENT_SESSION_KEY = "active_client_id"
_UNSET = object()


def get_active_client(request: HttpRequest) -> Client | None:
    """Return the Client a client user acts for now; None for staff, anonymous users or no membership.

    Resolved once per request. The session only remembers the choice: membership is checked every time,
    so a revoked membership takes effect at once.
    """
    cached = getattr(request, "_active_client_cache", _UNSET)
    if cached is not _UNSET:
        return cached
    from backend.clients.models import Client

    client = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_client_user:
        memberships = Client.objects.filter(memberships__user=user)
        client_id = request.session.get(ACTIVE_CLIENT_SESSION_KEY)
        client = memberships.filter(pk=client_id).first() if client_id else None
        if client is None:
            client = memberships.order_by("-memberships__is_default", "name").first()
            if client is not None:
                request.session[ACTIVE_CLIENT_SESSION_KEY] = client.pk
    request._active_client_cache = client
    return client


def set_active_client(request: HttpRequest, client: Client) -> None:
    request.session[ACTIVE_CLIENT_SESSION_KEY] = client.pk
    request._active_client_cache = client


class ActiveClientMiddleware:
    """Activate the user's language. The active client itself is resolved lazily by get_active_client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
