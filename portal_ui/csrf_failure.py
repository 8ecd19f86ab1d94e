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
from django.utils.translation import gettext as _

from backend.core.authentication import CsrfFailed
from backend.core.exceptions import is_api_request
from portal_ui.not_sent import not_sent_page
from portal_ui.post_only_pages import NOT_SENT_TAG

logger = logging.getLogger(__name__)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Django's reason (no cookie, a token of another session…) is for the log, not the user.
    logger.info("Form refused by the CSRF check: %s %s: %s", request.method, request.path, reason)
    if is_api_request(request):
        body = {"code": CsrfFailed.default_code, "message": str(CsrfFailed.default_detail), "fields": {}}
        return JsonResponse(body, status=403)
    response = not_sent_page(
        request,
        status=403,
        title=_("The page was out of date"),
        paragraphs=[
            _(
                "The form came from a page opened before your session changed: you logged in again, logged "
                "out or your session expired, perhaps in another tab. For your security nothing was sent."
            ),
            _(
                "Go back to the page and send the form again. What you typed is offered there again where "
                "this browser kept it; attached files must be chosen again."
            ),
        ],
        testid="csrf-failure",
        back_testid="csrf-back",
    )
    # Added after the page is drawn, so it waits for the next page: the form's, where the kept text is offered.
    messages.info(
        request,
        _("The form was not sent because its page was out of date. Check what you typed and send it again."),
        extra_tags=NOT_SENT_TAG,
        fail_silently=True,
    )
    return response
