"""A page address that only takes a form (POST) and is opened with GET: back to the page of the form.

The buttons of the portal post to addresses of their own (/requests/3/reply/, /client/switch/,
/staff/tasks/3/claim/…). Opened with GET, Django's `require_POST` answers an empty 405, which a browser
shows as its bare "HTTP ERROR 405" page. People get there: a session that expired while they typed sends
them to the login page with ?next=/requests/3/reply/, and after the login the browser GETs that address.
One middleware answers every such 405 of a page with a redirect to the page the form lives on, the
nearest parent path that is a page (/requests/3/), with a note that nothing was sent. The API keeps its
JSON 405 (`method_not_allowed`); /logout/ keeps its own confirmation page (portal_ui/views.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
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


class PostOnlyPageMiddleware:
    """Below MessageMiddleware, so the note reaches the page the browser is sent to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD") or is_api_request(request):
            return response
        messages.info(
            request,
            _("That address only sends a form, so nothing was sent: here is the page the form is on."),
            fail_silently=True,
        )
        return HttpResponseRedirect(get_script_prefix().rstrip("/") + form_page_path(request.path_info))
