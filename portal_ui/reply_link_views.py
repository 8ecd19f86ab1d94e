"""/reply/<token>/: the contact person answers the open question of a request from the e-mail link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from backend.core.exceptions import PortalError
from backend.core.language import language_for_recipient
from backend.requests_app.inputs import MessageInputSerializer
from backend.requests_app.reply_links import (
    ReplyLinkRefused,
    find_reply_link,
    recipient_language,
    reply_by_link,
)
from portal_ui.error_summary import form_errors

TEMPLATE = "portal_ui/reply_link.html"
INPUTS = ("message",)


def message_max_length() -> int:
    """The longest answer: the reply's own input serializer (the portal's reply form and the API's)."""
    return MessageInputSerializer().fields["message"].max_length


def _refused_page(request: HttpRequest, refused: ReplyLinkRefused) -> HttpResponse:
    # A complaint's wait that ended without a reply is past answering: no "you can still answer" then.
    context = {"refused": refused.message, "may_still_answer": not refused.wait_ended}
    return render(request, TEMPLATE, context, status=410)


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
        return _refused_page(request, refused)
    context = {
        "portal_request": link.request,
        "question": link.question,
        "message": "",
        "errors": {},
        "max_length": message_max_length(),
    }
    if request.method == "POST":
        context["message"] = request.POST.get("message", "")
        # The reply's input serializer, as the portal's reply form: the same limit and the same messages,
        # each shown next to the field with the text kept.
        serializer = MessageInputSerializer(data={"message": context["message"]})
        if not serializer.is_valid():
            context["errors"] = form_errors(serializer.errors, inputs=INPUTS)
        else:
            try:
                reply_by_link(token=token, message=serializer.validated_data["message"], request=request)
            except ReplyLinkRefused as refused:
                return _refused_page(request, refused)
            except PortalError as error:
                context["errors"] = form_errors(error, inputs=INPUTS)
            else:
                return render(request, TEMPLATE, {"sent": True, "portal_request": link.request})
        return render(request, TEMPLATE, context, status=400)
    return render(request, TEMPLATE, context)
