"""CSRF_FAILURE_VIEW: a form posted from a page that is out of date for the session.

A normal user meets it: typing in tab A, the session expires, a login in tab B gives a new CSRF token, and
tab A's form still carries the old one. Django's bare "Forbidden (403)" page said nothing a person could
act on; this is a portal page saying that nothing was sent, with the way back to the form's page, where the
text this tab kept is offered again (the note tagged NOT_SENT_TAG, read by forms.js and drafts.js). Under
/api/ the answer keeps the error shape (`csrf_failed`, as the API's own check answers it).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from backend.core.authentication import CsrfFailed
from backend.core.exceptions import is_api_request
from backend.core.next_url import safe_next_url
from portal_ui.post_only_pages import NOT_SENT_TAG

logger = logging.getLogger(__name__)


def page_of_the_form(request: HttpRequest) -> str:
    """The page the form was sent from (its Referer) when it is the portal's, else the home page."""
    return safe_next_url(request, request.headers.get("Referer"), reverse("home"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Django's reason (no cookie, a token of another session…) is for the log, not the user.
    logger.info("Form refused by the CSRF check: %s %s: %s", request.method, request.path, reason)
    if is_api_request(request):
        body = {"code": CsrfFailed.default_code, "message": str(CsrfFailed.default_detail), "fields": {}}
        return JsonResponse(body, status=403)
    response = render(
        request, "portal_ui/csrf_failure.html", {"back_url": page_of_the_form(request)}, status=403
    )
    # Added after the page is drawn, so it waits for the next page: the form's, where the kept text is offered.
    messages.info(
        request,
        _("The form was not sent because its page was out of date. Check what you typed and send it again."),
        extra_tags=NOT_SENT_TAG,
        fail_silently=True,
    )
    return response
