"""/reply/<token>/: the contact person answers the open question of a request from the e-mail link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.core.exceptions import PortalError
from backend.core.language import language_for_recipient
from backend.requests_app.reply_links import (
    ReplyLinkRefused,
    find_reply_link,
    recipient_language,
    reply_by_link,
)

MESSAGE_MAX_LENGTH = 5000
TEMPLATE = "portal_ui/reply_link.html"


@require_http_methods(["GET", "POST"])
def reply_by_link_page(request: HttpRequest, token: str) -> HttpResponse:
    # Opened from the e-mail, often in a browser that never saw the portal: speak the e-mail's language
    # (the locale middleware deactivates it after the response and names it in Content-Language).
    language = language_for_recipient(request, recipient_language(token))
    translation.activate(language)
    request.LANGUAGE_CODE = language
    try:
        link = find_reply_link(token, request=request)
    except ReplyLinkRefused as refused:
        return render(request, TEMPLATE, {"refused": refused.message}, status=410)
    context = {"portal_request": link.request, "question": link.question, "message": "", "error": ""}
    if request.method == "POST":
        message = request.POST.get("message", "").strip()
        context["message"] = message
        if not message:
            context["error"] = _("Write your answer.")
        elif len(message) > MESSAGE_MAX_LENGTH:
            context["error"] = _("The answer may have at most %(count)d characters.") % {
                "count": MESSAGE_MAX_LENGTH
            }
        else:
            try:
                reply_by_link(token=token, message=message, request=request)
            except ReplyLinkRefused as refused:
                return render(request, TEMPLATE, {"refused": refused.message}, status=410)
            except PortalError as error:
                context["error"] = error.message
            else:
                return render(request, TEMPLATE, {"sent": True, "portal_request": link.request})
        return render(request, TEMPLATE, context, status=400)
    return render(request, TEMPLATE, context)
