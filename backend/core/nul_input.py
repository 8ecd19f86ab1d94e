"""The NUL character in a query string or a form field is refused before any view: 400 (the error shape
under /api/).

No parameter or field of the portal takes a NUL, and PostgreSQL can neither store nor compare text holding
one: a search or filter that passed it on (the staff task list's contract filter, the client users'
search, the process key of the versions list) answered 500 there, as did a note typed into a page that
reads its POST directly. One check here instead of one in every view. The API's bodies are DRF's to
parse: its JSON parser refuses a NUL (backend/core/parsers.py), its text fields too; uploaded files may
hold any bytes and are not looked at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from backend.core.exceptions import bad_request, is_api_request

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form_holds_nul(request: HttpRequest) -> bool:
    # request.POST: parsed once here, kept for the view (the CSRF check reads it on every page's POST too).
    try:
        fields = list(request.POST.lists())
    except MultiPartParserError as error:
        raise BadRequest("malformed multipart body") from error
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in fields)


class NulInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The raw query: a NUL arrives percent-encoded, %00 (no letters, so no question of case).
        if "%00" in request.META.get("QUERY_STRING", ""):
            return self._refuse(request, "the query string")
        if (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and not is_api_request(request)
            and _form_holds_nul(request)
        ):
            return self._refuse(request, "a form field")
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, where: str) -> HttpResponse:
        # One line, no traceback: bad input is the sender's, nothing here failed.
        logger.warning("Refused %s %s: NUL character in %s", request.method, request.path, where)
        return bad_request(request, BadRequest(f"NUL character in {where}"))
