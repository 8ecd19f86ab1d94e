"""A query string holding the NUL character is refused before any view: 400 (the error shape under /api/).

No parameter of the portal takes a NUL, and PostgreSQL cannot compare text with one: a search or filter
that passed it on (the staff task list's contract filter, the client users' search, the process key of
the versions list) answered 500 there. One check here instead of one in every view that reads a parameter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class NulQueryStringMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The raw text: a NUL arrives percent-encoded, as %00 in either case of the letters (there are none).
        if "%00" in request.META.get("QUERY_STRING", ""):
            raise BadRequest("NUL character in the query string")  # handler400 answers
        return self.get_response(request)
