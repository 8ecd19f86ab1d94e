"""A database outage answers 503 with Retry-After, never a 500: JSON for the API, a friendly page otherwise.

Three places see a database error, and all three answer the same way:
- DRF views: `portal_exception_handler` (backend/core/exceptions.py);
- page views: `DatabaseOutageMiddleware.process_exception`;
- middleware below this one (the session and the user are read there): Django turns their exception into
  a response itself, through `handler500` below. It sees the exception in `sys.exc_info()` when the
  failing middleware is synchronous; otherwise (an async middleware under ASGI converts the exception in
  another thread) it asks the database with SELECT 1 whether it is there.

The page is standalone: the portal's base template reads the user, the active client and the messages,
all from the database that is just unavailable.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from backend.core import db_circuit
from backend.core.context_processors import customer_service
from backend.core.exceptions import RETRY_AFTER_SECONDS, is_api_request, is_database_outage, outage_body

logger = logging.getLogger(__name__)

# Liveness and readiness probes: answered right here, below only SecurityMiddleware, so neither a session
# cookie sent along nor any middleware that reads the database can turn their answer into an outage page.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})

UNAVAILABLE_TEMPLATE = "portal_ui/unavailable.html"
SERVER_ERROR_TEMPLATE = "portal_ui/server_error.html"


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the error shape for the API, the standalone "try again" page for the rest."""
    if is_api_request(request):
        response: HttpResponse = JsonResponse(outage_body(), status=503)
    else:
        # No request in the context: context processors would read the user from the database. The footer's
        # customer service comes from the settings.
        after_post = request.method not in ("GET", "HEAD")
        context = {
            "after_post": after_post,
            "form_page": _form_page(request) if after_post else None,
            "customer_service": customer_service(),
        }
        content = render_to_string(UNAVAILABLE_TEMPLATE, context)
        response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _form_page(request: HttpRequest) -> str | None:
    """After a failed POST: the page the form was on, from the Referer when it is this site's, so "Back to
    the form" offers the typed text again (a reload would GET an address that only takes a form)."""
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if not referer or not url_has_allowed_host_and_scheme(referer, {host}, require_https=request.is_secure()):
        return None
    parts = urlsplit(referer)
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))


class DatabaseOutageMiddleware:
    """Turn a database outage raised by a page view into the 503 page (DRF views answer it themselves).

    Also answers /healthz and /readyz directly, ahead of the session and authentication middleware.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if self.is_async:
            return self.__acall__(request)
        if request.path_info in PROBE_PATHS:
            return _answer_probe(request)
        if _refused_at_once(request):
            return outage_response(request)
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in PROBE_PATHS:
            return await sync_to_async(_answer_probe)(request)
        if db_circuit.is_open() and await sync_to_async(_refused_at_once)(request):
            return outage_response(request)
        return await self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.warning("Database unavailable: %s %s: %r", request.method, request.path, exception)
        db_circuit.note_failure(exception)
        return outage_response(request)


def _refused_at_once(request: HttpRequest) -> bool:
    """The database was just unreachable: 503 without waiting for the pool (static files still served)."""
    return not request.path_info.startswith(settings.STATIC_URL) and db_circuit.should_refuse()


def _answer_probe(request: HttpRequest) -> HttpResponse:
    match = resolve(request.path_info)
    return match.func(request, *match.args, **match.kwargs)


def _database_answers() -> bool:
    """SELECT 1 on a connection of this thread; closed afterwards (this may be a one-off worker thread)."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError as exc:
        return not is_database_outage(exc)
    finally:
        if not connection.in_atomic_block:
            connection.close()


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage becomes the 503 answer; anything else a standalone 500 page or JSON."""
    exc = sys.exc_info()[1]
    if exc is not None:
        db_circuit.note_failure(exc)
    if (exc is not None and is_database_outage(exc)) or (exc is None and not _database_answers()):
        return outage_response(request)
    if is_api_request(request):
        body = {
            "code": "server_error",
            "message": _("An unexpected error occurred. Please try again later."),
            "fields": {},
        }
        return JsonResponse(body, status=500)
    # Without the request, as the outage page: the error may be the database's (its footer: the settings).
    content = render_to_string(SERVER_ERROR_TEMPLATE, {"customer_service": customer_service()})
    return HttpResponse(content, status=500)
