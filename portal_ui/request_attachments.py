"""Files posted with a page's form (a request's submit, reply, comment, staff decision; a message, comment or
staff reply): one path for all.

A file is checked and stored when its form is posted (the app's upload_attachment, the same as
POST /api/requests/attachments/ or /api/messages/attachments/), then its id goes with the step like the
API's `attachment_ids`. A form that comes back with an error offers the stored files again, so a failed
step loses no file. The same content is taken once: a user who chooses again a file the form kept (or the
same file twice) sends one copy of it. Each file stored counts in the API's "uploads" limit
(backend/core/throttling.py): over it, the file is refused beside the field and the form comes back.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from backend.clients.models import Client
from backend.core.exceptions import PortalError
from backend.core.filters import parse_id
from backend.core.throttling import take_action
from backend.documents.uploads import clean_name, one_per_content
from backend.messaging import attachments as message_attachments
from backend.messaging import selectors as message_selectors
from backend.requests_app import selectors, services

# The app's upload and "unused uploads" read; requests by default.
REQUESTS = (services.upload_attachment, selectors.list_unused_attachments)
MESSAGES = (message_attachments.upload_attachment, message_selectors.list_unused_attachments)


def posted_attachments(
    request: HttpRequest,
    *,
    client: Client,
    kind: tuple[Callable[..., Any], Callable[..., list]] = REQUESTS,
    field: str = "files",
) -> tuple[list, list[str]]:
    """The form's files: those kept from an earlier try, then each newly chosen file, checked and stored.

    Returns the attachments, one per content, and a message per rejected file (each names its file); the
    others are kept. A new file whose content is already among them is neither stored nor taken.
    """
    upload, list_unused = kind
    wanted = [value for value in map(parse_id, request.POST.getlist("attachment_ids")) if value is not None]
    attachments = one_per_content(list_unused(user=request.user, client=client, attachment_ids=wanted))
    problems = []
    for uploaded in request.FILES.getlist(field):
        if _already_taken(uploaded, attachments):
            continue
        wait = take_action(request.user.pk, "uploads")
        if wait is not None:
            problems.append(_over_the_upload_limit(uploaded.name, wait))
            continue
        try:
            attachments.append(upload(user=request.user, client=client, uploaded=uploaded))
        except PortalError as exc:
            problems.append(exc.message)
    return attachments, problems


def _over_the_upload_limit(name: str, wait: float) -> str:
    minutes = math.ceil(wait / 60)
    return _(
        "The file “%(name)s” was not stored: too many files were attached in a short time. Try again in "
        "%(minutes)d min."
    ) % {
        "name": clean_name(name or "") or _("(no name)"),
        "minutes": minutes,
    }


def _already_taken(uploaded: Any, attachments: list) -> bool:
    """Whether the uploaded file's content is one of the attachments'. Read only when a size matches, so a
    file of another size (or one over the size limit) is not read here but by the upload's checks."""
    if not any(attachment.size == uploaded.size for attachment in attachments):
        return False
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return any(attachment.sha256 == digest.hexdigest() for attachment in attachments)


def has_posted_attachments(request: HttpRequest, *, field: str = "files") -> bool:
    """Whether the form brings files (new or kept), before anything is read for them."""
    return bool(request.FILES.getlist(field) or request.POST.getlist("attachment_ids"))


def posted_message_attachments(request: HttpRequest, *, client: Client) -> tuple[list, list[str]]:
    """A message form's files (field `attachments`), at most MAX_ATTACHMENTS with those kept, each content
    counted once, as the messages API counts them. A post naming more than MAX_POSTED_ATTACHMENTS files is
    refused unread; over the limit after the copies are dropped, the files stay kept for the user to untick."""
    too_many = _("Attach at most %(count)s files.") % {"count": message_attachments.MAX_ATTACHMENTS}
    posted = len(request.FILES.getlist("attachments")) + len(request.POST.getlist("attachment_ids"))
    if posted > message_attachments.MAX_POSTED_ATTACHMENTS:
        return [], [too_many]
    attachments, problems = posted_attachments(request, client=client, kind=MESSAGES, field="attachments")
    if len(attachments) > message_attachments.MAX_ATTACHMENTS:
        problems = [*problems, too_many]
    return attachments, problems
