"""DRF permission by the membership's role: a view names its `client_area` (access_rules.Area)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from backend.clients.access_rules import can
from backend.core.permissions import method_not_implemented


class HasClientArea(BasePermission):
    """Use after IsClientUser: reads need the view's area, unsafe methods need write rights in it.

    A method the view does not implement is no write: DRF answers it 405 for every role.
    """

    message = _("Your role in this company does not allow this.")

    def has_permission(self, request, view) -> bool:
        area = getattr(view, "client_area", None)
        if area is None:
            return False  # a view that lists this permission must say which area it belongs to
        if method_not_implemented(request, view):
            return True
        membership = getattr(request, "active_membership", None)
        # A view whose POST only starts a read (post_only_reads: the accountant's month package) needs read rights.
        write = request.method not in SAFE_METHODS and not getattr(view, "post_only_reads", False)
        return can(membership, area, write=write)
