"""Role checks for portal pages, reused by every page module.

A logged-out visitor is sent to the login page; a logged-in user of the wrong role gets 403 (never a
redirect, which would loop between the login page and the page it cannot open).

    @client_required          # client users with an active client (request.active_client, set by the
                              # clients.active middleware)
    @client_user_required     # client users, with an active client or not yet
    @staff_required           # staff, analysts and admins (the back office)
    @analyst_required         # analysts and admins
    class MyView(StaffRequiredMixin, TemplateView): ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from backend.clients import access_rules
from backend.clients.active import NoClient, NoClientKind

View = Callable[..., HttpResponse]


def _is_client_user(request: HttpRequest) -> str | None:
    return None if request.user.is_client_user else _("This page is for client users.")


def _is_client(request: HttpRequest) -> str | None:
    if not request.user.is_client_user:
        return _("This page is for client users.")
    if getattr(request, "active_client", None) is None:
        # Why (suspended, removed, an invitation waiting, never linked): backend/clients/active.py.
        no_client = getattr(request, "no_client", None)
        return (no_client or NoClient(NoClientKind.NONE)).message
    return None


def _is_staff(request: HttpRequest) -> str | None:
    return None if request.user.is_back_office else _("This area is for the lessor's staff.")


def _is_analyst(request: HttpRequest) -> str | None:
    return None if request.user.is_analyst else _("This area is for process analysts.")


def check_access(request: HttpRequest, check: Callable[[HttpRequest], str | None]) -> HttpResponse | None:
    """Return a redirect to the login page for anonymous users, raise 403 for a wrong role, else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = check(request)
    if not refusal:
        return None
    no_client = getattr(request, "no_client", None)
    if no_client is not None and no_client.kind == NoClientKind.INVITED and refusal == no_client.message:
        # Not "access denied": the invitation banner above says what to do (accept or decline).
        return render(request, "portal_ui/client/invitation_waiting.html", status=403)
    raise PermissionDenied(refusal)


def _decorator(check: Callable[[HttpRequest], str | None]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return check_access(request, check) or view(request, *args, **kwargs)

        return wrapped

    return decorate


client_required = _decorator(_is_client)
# A client user whether or not they act for a company yet (answering an invitation to one).
client_user_required = _decorator(_is_client_user)


def client_area_required(area: str, *, post_only_reads: bool = False) -> Callable[[View], View]:
    """A client page of one area of the portal: the membership's role must allow it (403 otherwise).

    Reads need the area; a POST needs write rights in it (an accountant reads, never submits), unless the
    page's POST only starts a read (`post_only_reads`: the month's package of invoices).
    """

    def check(request: HttpRequest) -> str | None:
        refusal = _is_client(request)
        if refusal:
            return refusal
        write = request.method not in ("GET", "HEAD", "OPTIONS") and not post_only_reads
        if not access_rules.can(getattr(request, "active_membership", None), area, write=write):
            return _("Your role in this company does not give access to this page.")
        return None

    return _decorator(check)


staff_required = _decorator(_is_staff)
analyst_required = _decorator(_is_analyst)


class _RoleMixin:
    access_check: Callable[[HttpRequest], str | None]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return check_access(request, type(self).access_check) or super().dispatch(request, *args, **kwargs)


class ClientRequiredMixin(_RoleMixin):
    access_check = staticmethod(_is_client)


class StaffRequiredMixin(_RoleMixin):
    access_check = staticmethod(_is_staff)


class AnalystRequiredMixin(_RoleMixin):
    access_check = staticmethod(_is_analyst)
