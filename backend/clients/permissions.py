"""DRF permission by the membership's role: a view names its `client_area` (access_rules.Area)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from backend.clients.access_rules import can


class HasClientArea(BasePermission):
    """Use after IsClientUser: reads need the view's area, unsafe methods need write rights in it."""

    message = _("Your role in this company does not allow this.")

    def has_permission(self, request, view) -> bool:
        area = getattr(view, "client_area", None)
        if area is None:
            return False  # a view that lists this permission must say which area it belongs to
        membership = getattr(request, "active_membership", None)
        return can(membership, area, write=request.method not in SAFE_METHODS)
