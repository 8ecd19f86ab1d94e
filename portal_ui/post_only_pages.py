"""A page address that only takes a form (POST) and is opened with GET: back to the page of the form.

The buttons of the portal post to addresses of their own (/requests/3/reply/, /client/switch/,
/staff/tasks/3/claim/…). Opened with GET, Django's `require_POST` answers an empty 405, which a browser
shows as its bare "HTTP ERROR 405" page. People get there: a session that expired while they typed sends
them to the login page with ?next=/requests/3/reply/, and after the login the browser GETs that address.
One middleware answers every such 405 of a page with a redirect to the page the form lives on, the
nearest parent path that is a page (/requests/3/), with a note that nothing was sent. The API keeps its
JSON 405 (`method_not_allowed`); /logout/ keeps its own confirmation page (portal_ui/views.py).

A form sent into an expired session (an anonymous post sent to the login page) is remembered in the
session, which the login keeps: when the login leads back to that address, the note says the session had
expired, on the form's page or on the page itself (a form that posts to its own page: the invitation).
The note is tagged `form-not-sent`: forms.js and drafts.js then offer back what this tab kept of the form.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils.translation import gettext as _

from backend.core.exceptions import is_api_request


def form_page_path(path: str) -> str:
    """The nearest parent path of `path` that a view answers ("/" at the latest)."""
    parts = [part for part in path.split("/") if part]
    while parts:
        parts.pop()
        candidate = "/" + "".join(f"{part}/" for part in parts)
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"


# The session's note of the page address a form was posted to after the session had expired.
NOT_SENT_SESSION_KEY = "portal_form_not_sent"
# The tag of the note (class "message … form-not-sent"): what the scripts look for to offer the text back.
NOT_SENT_TAG = "form-not-sent"


def _sent_to_login(request: HttpRequest, response: HttpResponse) -> bool:
    """A page's form posted without a session, answered with the login page (login_required)."""
    if request.method != "POST" or request.user.is_authenticated or response.status_code != 302:
        return False
    return response.get("Location", "").split("?")[0] == resolve_url(settings.LOGIN_URL)


class PostOnlyPageMiddleware:
    """Below MessageMiddleware, so the note reaches the page the browser is sent to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request):
            return self.get_response(request)
        expired = self._back_after_login(request)
        if expired:
            # Before the view: a form that posts to its own page shows the note on the page it renders now.
            messages.info(
                request,
                _(
                    "Your session had expired, so the form was not sent. What you typed is back in it where "
                    "this browser kept it: check it and send it again."
                ),
                extra_tags=NOT_SENT_TAG,
                fail_silently=True,
            )
        response = self.get_response(request)
        if _sent_to_login(request, response) and hasattr(request, "session"):
            request.session[NOT_SENT_SESSION_KEY] = request.path_info
        if response.status_code != 405 or request.method not in ("GET", "HEAD"):
            return response
        if not expired:
            messages.info(
                request,
                _("That address only sends a form, so nothing was sent: here is the page the form is on."),
                extra_tags=NOT_SENT_TAG,
                fail_silently=True,
            )
        return HttpResponseRedirect(get_script_prefix().rstrip("/") + form_page_path(request.path_info))

    @staticmethod
    def _back_after_login(request: HttpRequest) -> bool:
        """The login led back to the address a form was posted to while the session had expired."""
        session = getattr(request, "session", None)
        if request.method != "GET" or session is None or not request.user.is_authenticated:
            return False
        # The first page after the login is the one it leads to: the note goes then either way, never
        # said again on a later visit of that page.
        return session.pop(NOT_SENT_SESSION_KEY, None) == request.path_info
