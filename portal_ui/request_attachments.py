"""Files posted with a request page's form (submit, reply, comment, staff decision): one path for all.

A file is checked and stored when its form is posted (services.upload_attachment, the same as
POST /api/requests/attachments/), then its id goes with the step like the API's `attachment_ids`. A form
that comes back with an error offers the stored files again, so a failed step loses no file.
"""

from __future__ import annotations

from django.http import HttpRequest

from backend.clients.models import Client
from backend.core.exceptions import PortalError
from backend.core.filters import parse_id
from backend.requests_app import selectors, services
from backend.requests_app.models import RequestAttachment


def posted_attachments(request: HttpRequest, *, client: Client) -> tuple[list[RequestAttachment], list[str]]:
    """The form's files: those kept from an earlier try, then each newly chosen file, checked and stored.

    Returns the attachments and a message per rejected file (each names its file); the others are kept.
    """
    wanted = [value for value in map(parse_id, request.POST.getlist("attachment_ids")) if value is not None]
    attachments = selectors.list_unused_attachments(user=request.user, client=client, attachment_ids=wanted)
    problems = []
    for uploaded in request.FILES.getlist("files"):
        try:
            attachments.append(
                services.upload_attachment(user=request.user, client=client, uploaded=uploaded)
            )
        except PortalError as exc:
            problems.append(exc.message)
    return attachments, problems


def has_posted_attachments(request: HttpRequest) -> bool:
    """Whether the form brings files (new or kept), before anything is read for them."""
    return bool(request.FILES.getlist("files") or request.POST.getlist("attachment_ids"))
