"""DRF permissions by portal role. Object scoping is done by selectors (foreign ids give 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class IsClientUser(BasePermission):
    """A client user with an active client (set on the request by clients.active.ActiveClientMiddleware)."""

    message = _("This area is for client users.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_client_user):
            return False
        return getattr(request, "active_client", None) is not None


class IsBackOffice(BasePermission):
    message = _("This area is for the lessor's staff.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_back_office)


class IsAnalyst(BasePermission):
    message = _("This area is for process analysts.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_analyst)
