"""handler400: a form carrying more files than the portal takes in one request gets a portal page.

Django refuses a body of more than DATA_UPLOAD_MAX_NUMBER_FILES files before any view, and its bare "Bad
Request" page left a person who chose a whole folder without the text they typed. This page says that nothing
was sent and leads back to the form's page, where the text this tab kept is offered again (NOT_SENT_TAG, as
after a CSRF failure). Everything else, and anything under /api/, is backend.core.exceptions.bad_request.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from backend.core import exceptions
from portal_ui.not_sent import not_sent_page
from portal_ui.post_only_pages import NOT_SENT_TAG


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if exceptions.is_api_request(request) or not isinstance(exception, TooManyFilesSent):
        return exceptions.bad_request(request, exception)
    response = not_sent_page(
        request,
        status=400,
        title=_("Too many files at once"),
        paragraphs=[
            exceptions.too_many_files_message(),
            _(
                "Go back to the page and attach fewer files: each form says how many it takes. What you typed is "
                "offered there again where this browser kept it; attached files must be chosen again."
            ),
        ],
        testid="too-many-files",
        back_testid="too-many-files-back",
    )
    # The body is read (and refused) in a middleware above MessageMiddleware: this response keeps the note
    # itself, as that middleware would, so the form's page offers the kept text (forms.js, drafts.js).
    storage = getattr(request, "_messages", None) or default_storage(request)
    storage.add(
        messages.INFO,
        _("The form was not sent: it carried too many files. Check what you typed and attach fewer files."),
        extra_tags=NOT_SENT_TAG,
    )
    storage.update(response)
    return response
