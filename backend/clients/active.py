"""The client a logged-in client user acts for: one resolver, one setter, one middleware.

The session only remembers the choice (ACTIVE_CLIENT_SESSION_KEY); membership is re-checked on every
request and every WebSocket event, so a revoked membership takes effect at once. Without a valid choice
the user's default membership (then the first by client name) is used.

    request.active_client       the Client, or None (staff, anonymous, a client user with no membership)
    request.active_membership   the ClientMembership behind it, or None
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse

from backend.clients import access_rules
from backend.clients.models import Client, ClientMembership
from backend.core.prepared_reads import PreparedRead

ACTIVE_CLIENT_SESSION_KEY = "active_client_id"

# Sent with (request, client) when the user picks a client; the live push moves the session's open sockets.
active_client_changed = Signal()


def _active_memberships(user_id: int) -> QuerySet[ClientMembership]:
    # A suspended membership is as good as none: no page, API or WebSocket event for that client.
    return ClientMembership.objects.select_related("client").filter(
        user_id=user_id, status=ClientMembership.Status.ACTIVE
    )


# Read on every request of a client user: compiled once per connection (backend/core/prepared_reads.py).
_CHOSEN_MEMBERSHIP = PreparedRead(
    lambda user_id, client_id: _active_memberships(user_id).filter(client_id=client_id).order_by("pk")[:1],
    ints=("user_id", "client_id"),
)
_DEFAULT_MEMBERSHIP = PreparedRead(
    lambda user_id: _active_memberships(user_id).order_by("-is_default", "client__name", "pk")[:1],
    ints=("user_id",),
)


def resolve_membership(*, user, session) -> ClientMembership | None:
    """Return the membership the session acts through, re-checked against the database (1–2 queries)."""
    if user is None or not user.is_authenticated or not user.is_client_user:
        return None
    client_id = session.get(ACTIVE_CLIENT_SESSION_KEY) if session is not None else None
    membership = None
    if isinstance(client_id, int) and not isinstance(client_id, bool):
        membership = _CHOSEN_MEMBERSHIP.first(user_id=user.pk, client_id=client_id)
    if membership is None:
        membership = _DEFAULT_MEMBERSHIP.first(user_id=user.pk)
    return membership


def _remember(request: HttpRequest, membership: ClientMembership | None) -> None:
    request.active_membership = membership
    request.active_client = membership.client if membership is not None else None
    access_rules.bind(request.active_client, membership)
    session = getattr(request, "session", None)
    if (
        membership is not None
        and session is not None
        and session.get(ACTIVE_CLIENT_SESSION_KEY) != membership.client_id
    ):
        session[ACTIVE_CLIENT_SESSION_KEY] = membership.client_id


def activate_client(request: HttpRequest) -> Client | None:
    """Set request.active_client and request.active_membership for this request (the middleware's work)."""
    session = getattr(request, "session", None)
    _remember(request, resolve_membership(user=getattr(request, "user", None), session=session))
    return request.active_client


def set_active_client(request: HttpRequest, *, client_id: int) -> Client | None:
    """Act for this client from now on: the switcher and the bank hand-off. None if the user is no member."""
    membership = (
        ClientMembership.objects.select_related("client")
        .filter(user=request.user, client_id=client_id, status=ClientMembership.Status.ACTIVE)
        .first()
    )
    if membership is None:
        return None
    _remember(request, membership)
    active_client_changed.send(sender=set_active_client, request=request, client=membership.client)
    return membership.client


class ActiveClientMiddleware:
    """Resolve the active client once per request, after authentication and the session checks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        activate_client(request)
        return self.get_response(request)
