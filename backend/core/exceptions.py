"""Domain errors and the one DRF exception handler that shapes every error as JSON.

Every error body is `{"code": ..., "message": ..., "fields": {...}}` in the user's language; a URL under
/api/ that matches no path gets it too (`not_found`, the portal's handler404), and so does a request refused
before any view (`bad_request`: handler400, e.g. a malformed multipart body, and the NUL check's answer).
A body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 `too_large`, wherever it is first read. DRF's messages that
its Polish catalogue lacks are translated in backend/core's; the few it never marks for translation, or
that show its internals, are replaced here.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import is_valid_path
from django.utils.http import escape_leading_slashes
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as bad_request_page
from django.views.defaults import page_not_found
from rest_framework import exceptions as drf_exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import exception_handler

from backend.core import db_circuit
from backend.core.session_end import SessionEnd, session_end_message, session_end_reason

logger = logging.getLogger(__name__)


class PortalError(Exception):
    """Base of the errors a service raises for the user to read."""

    code = "portal_error"
    status = 400

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message or self.default_message())
        self.message = message or self.default_message()
        self.fields = fields or {}

    def default_message(self) -> str:
        return _("The request could not be processed.")


class PortalValidationError(PortalError):
    code, status = "invalid", 400

    def default_message(self) -> str:
        return _("Please correct the marked fields.")


class NotFound(PortalError):
    code, status = "not_found", 404

    def default_message(self) -> str:
        return _("Not found.")


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def unsafe_call_missing_slash(request: HttpRequest) -> str | None:
    """The path with its slash when an API call of an unsafe method left the slash out, else None.

    Such a call is not redirected (backend/core/trailing_slash.py: a client repeats a redirected POST as a
    GET, which read a list and created nothing); its 404 names the path it meant.
    """
    path = request.path_info
    if request.method in SAFE_METHODS or not is_api_request(request) or path.endswith("/"):
        return None
    urlconf = getattr(request, "urlconf", None)
    if is_valid_path(path, urlconf) or not is_valid_path(f"{path}/", urlconf):
        return None
    return escape_leading_slashes(request.get_full_path(force_append_slash=True))


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: the error shape under /api/ (an unknown path, or an id out of range), else the page."""
    if is_api_request(request):
        slash_path = unsafe_call_missing_slash(request)
        error = (
            NotFound(_("This address ends with a slash: %(path)s") % {"path": slash_path})
            if slash_path
            else NotFound()
        )
        return JsonResponse({"code": error.code, "message": error.message, "fields": {}}, status=404)
    return page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: the error shape under /api/, else Django's bad-request page."""
    if is_api_request(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(too_large_body(), status=413)
        message = too_many_files_message() if isinstance(exception, TooManyFilesSent) else None
        body = {
            "code": "bad_request",
            "message": message or _("The request could not be processed."),
            "fields": {},
        }
        return JsonResponse(body, status=400)
    return bad_request_page(request, exception)


def too_many_files_message() -> str:
    """More file parts than DATA_UPLOAD_MAX_NUMBER_FILES: Django refuses the body before any form counts
    them (each form's own, smaller limit is said at its field)."""
    return _("Too many files in one request: at most %(count)d; nothing was sent.") % {
        "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
    }


def too_large_body() -> dict[str, Any]:
    """The error shape of a body over DATA_UPLOAD_MAX_MEMORY_SIZE (files of a multipart upload aside)."""
    megabytes = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g}"
    message = _("The request is too large: at most %(size)s MB besides attached files.") % {"size": megabytes}
    return {"code": "too_large", "message": message, "fields": {}}


def throttled_message(wait: int | None) -> str:
    """DRF's own message is only half translated ("Expected available in …" is formatted before ngettext)."""
    if not wait:
        return _("Too many requests of this kind. Try again later.")
    if wait < 60:
        return _("Too many requests of this kind. Try again in %(seconds)d s.") % {"seconds": wait}
    minutes = math.ceil(wait / 60)
    return _("Too many requests of this kind. Try again in %(minutes)d min.") % {"minutes": minutes}


# DRF messages it never marks for translation: replaced wherever they appear in a field's messages.
_UNTRANSLATED_DRF = {
    "No data provided": lambda: _("No data was sent: the body is empty or null."),
}

# DRF messages that name the Python type of what was sent ("… otrzymano  list." in its Polish catalogue,
# with a double space): DRF's text (its msgid), the placeholder of the type, the portal's sentence.
_DRF_TYPE_MESSAGES = (
    (
        "Invalid data. Expected a dictionary, but got {datatype}.",
        "datatype",
        lambda: _("Invalid data: an object with the form's fields was expected."),
    ),
    (
        'Expected a dictionary of items but got type "{input_type}".',
        "input_type",
        lambda: _("An object (names with their values) was expected here."),
    ),
    (
        'Expected a list of items but got type "{input_type}".',
        "input_type",
        lambda: _("A list of values was expected here."),
    ),
)
# What a parsed JSON or form body can hold, by Python type name.
_BODY_TYPE_NAMES = ("dict", "list", "str", "int", "float", "bool", "NoneType", "QueryDict")


class Conflict(PortalError):
    """Someone else changed the object first: reload and try again."""

    code, status = "conflict", 409

    def default_message(self) -> str:
        return _("Someone else has just changed this item. Reload the page and try again.")


class TaskAlreadyClaimed(Conflict):
    code = "task_already_claimed"


class TaskNotReady(Conflict):
    code = "task_not_ready"

    def default_message(self) -> str:
        return _("This step has already been completed or is not available any more.")


class InvalidTransition(Conflict):
    code = "invalid_transition"

    def default_message(self) -> str:
        return _("This action is not possible in the request's current state.")


class RequestClosed(Conflict):
    """A client's comment on a request that has ended: no step or task is left to pick it up."""

    code = "request_closed"

    def default_message(self) -> str:
        return _(
            "This request is closed and takes no more comments or attachments. Submit a new request or"
            " write a message."
        )


# How long a client should wait before retrying when the database is unavailable (Retry-After).
RETRY_AFTER_SECONDS = 10

# PostgreSQL SQLSTATE classes of a server that is unreachable, overloaded or shutting down:
# 08 connection exception, 53 insufficient resources, 57 operator intervention, 58 system error.
_OUTAGE_SQLSTATE_CLASSES = frozenset({"08", "53", "57", "58"})
# SQLite primary result codes of a busy, locked or unreachable database file (not a bad query).
_OUTAGE_SQLITE_CODES = frozenset({5, 6, 7, 8, 10, 13, 14, 15})  # BUSY LOCKED NOMEM READONLY IOERR FULL ...


def is_database_outage(exc: BaseException) -> bool:
    """Return True when `exc` says the database is unavailable (try again later), not that a query is wrong.

    Django wraps the driver's error; its cause tells a locked SQLite file or a refused PostgreSQL
    connection from, say, a missing table. Without a driver cause (tests, other back ends), the DB-API
    classes of operational trouble count as an outage.
    """
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    sqlite_code = getattr(cause, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in _OUTAGE_SQLITE_CODES
    if hasattr(cause, "sqlstate"):  # psycopg: no SQLSTATE means the server never answered
        sqlstate = cause.sqlstate
        if sqlstate is None:
            return isinstance(exc, (OperationalError, InterfaceError))
        return sqlstate[:2] in _OUTAGE_SQLSTATE_CLASSES
    return isinstance(exc, (OperationalError, InterfaceError))


def outage_body() -> dict[str, Any]:
    """The error shape of a database outage, in the active language."""
    return {
        "code": "service_unavailable",
        "message": _("The portal is temporarily unavailable, please try again in a moment."),
        "fields": {},
    }


def _flatten_drf_detail(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub_key, sub_value in _flatten_drf_detail(value).items():
                    flat[f"{key}.{sub_key}"] = sub_value
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub_key, sub_value in _flatten_drf_detail(item).items():
                        flat[f"{key}.{index}.{sub_key}"] = sub_value
            else:
                flat[str(key)] = [_message(v) for v in (value if isinstance(value, list) else [value])]
        return flat
    if isinstance(detail, list):
        return {"non_field_errors": [_message(v) for v in detail]}
    return {"non_field_errors": [_message(detail)]}


def _message(detail: Any) -> str:
    text = str(detail)
    replacement = _UNTRANSLATED_DRF.get(text)
    if replacement:
        return replacement()
    for template, placeholder, sentence in _DRF_TYPE_MESSAGES:
        translated = _(template)  # DRF's own catalogue, in the language the message was made in
        if any(text == translated.format(**{placeholder: name}) for name in _BODY_TYPE_NAMES):
            return sentence()
    return text


def _ended_session(request: Any) -> SessionEnd | None:
    """Why the session whose cookie the call carried has ended (as the login page's note tells it), or None
    when it sent no credentials."""
    return session_end_reason(request) if request is not None else None


def _session_expired(
    exc: drf_exceptions.NotAuthenticated, reason: SessionEnd
) -> drf_exceptions.NotAuthenticated:
    """The same 401 (with its WWW-Authenticate scheme), coded as the absolute expiry's (middleware.py)."""
    ended = drf_exceptions.NotAuthenticated(session_end_message(reason), "session_expired")
    ended.auth_header = getattr(exc, "auth_header", None)
    ended.status_code = exc.status_code  # 403 where the view names no authentication scheme (DRF)
    return ended


def portal_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Map domain, Django and DRF errors to one JSON shape; leave unknown errors as logged 500s."""
    if is_database_outage(exc):
        logger.warning("Database unavailable: %r", exc, exc_info=exc)
        db_circuit.note_failure(exc)
        return Response(outage_body(), status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, PortalError):
        return Response({"code": exc.code, "message": exc.message, "fields": exc.fields}, status=exc.status)
    if isinstance(exc, RequestDataTooBig):  # read by the view (request.data): Django would answer 400
        return Response(too_large_body(), status=413)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            {"code": "invalid", "message": _("Please correct the marked fields."), "fields": fields},
            status=400,
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    elif isinstance(exc, drf_exceptions.NotAuthenticated) and (
        ended := _ended_session(context.get("request"))
    ):
        exc = _session_expired(exc, ended)

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "message": _("Please correct the marked fields."),
            "fields": _flatten_drf_detail(exc.detail),
        }
    elif isinstance(exc, drf_exceptions.APIException):
        detail = exc.detail
        message = throttled_message(exc.wait) if isinstance(exc, drf_exceptions.Throttled) else str(detail)
        response.data = {
            "code": getattr(detail, "code", None) or exc.default_code,
            "message": message,
            "fields": {},
        }
    return response
