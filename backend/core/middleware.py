"""Resolve the client the logged-in user acts for (kept in the session, re-checked every request)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.dispatch import Signal
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


# Sent with (request, client) by set_active_client; the live push moves the session's open sockets.
active_client_changed = Signal()


def set_active_client(request: HttpRequest, client: Client) -> None:
    request.session[ACTIVE_CLIENT_SESSION_KEY] = client.pk
    request._active_client_cache = client
    active_client_changed.send(sender=set_active_client, request=request, client=client)


class ActiveClientMiddleware:
    """Activate the user's language. The active client itself is resolved lazily by get_active_client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


SESSION_REFRESHED_KEY = "_refreshed_at"


class SlidingSessionMiddleware:
    """Slide a logged-in session's expiry at most once a minute instead of writing it on every request.

    SESSION_SAVE_EVERY_REQUEST would turn every read into a database write; with SQLite that queues all
    page views behind the single writer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated and session.session_key:
            now = int(time.time())
            if now - int(session.get(SESSION_REFRESHED_KEY, 0)) >= settings.SESSION_REFRESH_INTERVAL:
                session[SESSION_REFRESHED_KEY] = now
        return response
