"""Template context of a logged-in user: the client acted for, and a client user's clients (the switcher)
and the invitations waiting for their answer.

`client_can.<area>` / `client_can_write.<area>` (backend/clients/access_rules.py) let a page hide the
links and buttons the acting user's role cannot use (an accountant sees no "new request" button).
"""

from __future__ import annotations

from django.http import HttpRequest

from backend.clients import access_rules
from backend.clients.selectors import list_clients_for_user, pending_invitations

_AREAS = (
    access_rules.Area.CONTRACTS,
    access_rules.Area.DOCUMENTS,
    access_rules.Area.INVOICES,
    access_rules.Area.EXPORTS,
    access_rules.Area.REQUESTS,
    access_rules.Area.MESSAGES,
    access_rules.Area.USERS,
)


def active_client(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"active_client": getattr(request, "active_client", None)}
    if user.is_client_user:
        context["user_clients"] = list(list_clients_for_user(user=user)[:50])
        # Invitations of companies waiting for this user's answer: the banner on every page.
        context["pending_invitations"] = pending_invitations(user=user)
        membership = getattr(request, "active_membership", None)
        context["client_can"] = {area: access_rules.can(membership, area) for area in _AREAS}
        context["client_can_write"] = {
            area: access_rules.can(membership, area, write=True) for area in _AREAS
        }
    return context
