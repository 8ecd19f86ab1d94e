"""DRF permissions by portal role. Object scoping is done by selectors (foreign ids give 404).

DRF checks permissions before it looks for the method's handler, so a role check would answer 403 to a
method the view does not have at all (DELETE /api/contracts/). Every role permission lets such a call
through to DRF's own 405 `method_not_allowed`: there is nothing behind it to protect.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


def method_not_implemented(request, view) -> bool:
    """True when the view has no handler for the request's method (DRF's dispatch then answers 405)."""
    method = request.method.lower()
    return method not in view.http_method_names or not hasattr(view, method)


class IsClientUser(BasePermission):
    """A client user with an active client (set on the request by clients.active.ActiveClientMiddleware)."""

    message = _("This area is for client users.")

    def has_permission(self, request, view) -> bool:
        if method_not_implemented(request, view):
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_client_user):
            return False
        if getattr(request, "active_client", None) is not None:
            return True
        # A client user acting for no company is told why and what to do (suspended, removed, invited):
        # the active-client middleware's answer (backend/clients/active.py), read only now.
        no_client = getattr(request, "no_client", None)
        if no_client is not None:
            self.message = no_client.message
        return False


class IsClientAccount(BasePermission):
    """A logged-in client user, acting for a company or not yet (the invitations waiting for them)."""

    message = _("This area is for client users.")

    def has_permission(self, request, view) -> bool:
        if method_not_implemented(request, view):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_client_user)


class IsBackOffice(BasePermission):
    message = _("This area is for the lessor's staff.")

    def has_permission(self, request, view) -> bool:
        if method_not_implemented(request, view):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_back_office)


class IsAnalyst(BasePermission):
    message = _("This area is for process analysts.")

    def has_permission(self, request, view) -> bool:
        if method_not_implemented(request, view):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_analyst)
