"""The client a logged-in client user acts for: one resolver, one setter, one middleware.

The session only remembers the choice (ACTIVE_CLIENT_SESSION_KEY); membership is re-checked on every
request and every WebSocket event, so a revoked membership takes effect at once. Without a valid choice
the user's default membership (then the first by client name) is used.

    request.active_client       the Client, or None (staff, anonymous, a client user with no membership)
    request.active_membership   the ClientMembership behind it, or None
    request.no_client           a client user's NoClient when active_client is None (why, read lazily),
                                else None: pages and the API's 403 say it (core.permissions.IsClientUser)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from backend.clients import access_rules
from backend.clients.members import MemberAudit
from backend.clients.models import Client, ClientMembership
from backend.core.exceptions import Conflict
from backend.core.models import AuditLog
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


class NoClientKind(StrEnum):
    INVITED = "invited"  # an invitation waits for the user's answer
    SUSPENDED = "suspended"  # the company's administrator suspended the user's membership
    REMOVED = "removed"  # ... or removed it
    NONE = "none"  # never linked to any company


@dataclass(frozen=True)
class NoClient:
    """Why a client user acts for no company, and what to do about it (pages and API alike)."""

    kind: NoClientKind
    client_name: str = ""  # the company, only where this user's membership existed

    @property
    def message(self) -> str:
        if self.kind == NoClientKind.INVITED:
            return _("An invitation is waiting for your answer: accept it to act for the company.")
        if self.kind == NoClientKind.SUSPENDED:
            return _(
                "Your access to %(name)s has been suspended by its administrator. Contact them to have it "
                "resumed."
            ) % {"name": self.client_name}
        if self.kind == NoClientKind.REMOVED:
            return _(
                "Your access to %(name)s has been removed by its administrator. Contact them if you still "
                "need it."
            ) % {"name": self.client_name}
        return _("Your account is not linked to any client yet. Contact customer service.")


def why_no_client(user) -> NoClient:
    """For a client user with no active membership: an invitation waiting first (the banner answers it),
    then a suspended membership, then the latest removal of a membership the user had accepted."""
    memberships = ClientMembership.objects.filter(user=user).select_related("client")
    if memberships.filter(status=ClientMembership.Status.INVITED).exists():
        return NoClient(NoClientKind.INVITED)
    suspended = memberships.filter(status=ClientMembership.Status.SUSPENDED).order_by("client__name").first()
    if suspended is not None:
        return NoClient(NoClientKind.SUSPENDED, suspended.client.name)
    removal = (
        AuditLog.objects.filter(
            action=MemberAudit.REMOVED,
            detail__member_user_id=user.pk,
            # An invitation withdrawn before it was accepted was never this user's access.
            detail__status__in=[ClientMembership.Status.ACTIVE, ClientMembership.Status.SUSPENDED],
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    removed_from = (
        Client.objects.filter(pk=(removal.detail or {}).get("client_id")).first() if removal else None
    )
    if removed_from is not None:
        return NoClient(NoClientKind.REMOVED, removed_from.name)
    return NoClient(NoClientKind.NONE)


def _remember(request: HttpRequest, membership: ClientMembership | None) -> None:
    request.active_membership = membership
    request.active_client = membership.client if membership is not None else None
    user = getattr(request, "user", None)
    # Read only when a page or the API refuses for it: most requests never ask.
    request.no_client = (
        SimpleLazyObject(lambda: why_no_client(user))
        if membership is None and user is not None and user.is_authenticated and user.is_client_user
        else None
    )
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


class ClientChanged(Conflict):
    """A form (or a draft of it) shown for one company arrived after another tab switched the session to
    another: nothing is done for either (the API's 409 `client_changed`)."""

    code = "client_changed"


def switched_away_from(request: HttpRequest, shown_for: int | None) -> Client | None:
    """The user's company `shown_for` names (the one a form was shown for) when the session acts for
    another one by now; None when it is the active one, not given, or not a company of the user's."""
    active = getattr(request, "active_client", None)
    if shown_for is None or active is None or shown_for == active.pk:
        return None
    membership = ClientMembership.objects.select_related("client").filter(
        user=request.user, client_id=shown_for
    )
    return next((m.client for m in membership[:1]), None)


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
