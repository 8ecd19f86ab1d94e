"""A message's files: checked and kept when uploaded, bound to the message that sends them, and the unsent
uploads of a refused answer discarded. The client's and the staff's writes bind them alike."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client
from backend.core.exceptions import PortalValidationError
from backend.documents.unused_uploads import delete_unused_uploads
from backend.documents.uploads import CheckedUpload, check_upload, one_per_content, stored_upload
from backend.messaging.models import Message, MessageAttachment

MAX_ATTACHMENTS = 5  # files in one message, each content counted once
# What one post may name (ids and files, each list) before the copies of a content are dropped: every file
# twice, as a form that kept it and had it chosen again sends it. More is refused unread.
MAX_POSTED_ATTACHMENTS = 2 * MAX_ATTACHMENTS

# Any age: the uploads of the request being answered were stored a moment ago.
JUST_UPLOADED = -timedelta(minutes=5)


def upload_attachment(*, user: User, client: Client, uploaded) -> MessageAttachment:
    """Check the file by content and keep it (POST /api/messages/attachments/); bound when a message is sent."""
    return keep_attachment(
        user=user, client=client, checked=check_upload(uploaded, name=getattr(uploaded, "name", ""))
    )


def keep_attachment(*, user: User, client: Client | int, checked: CheckedUpload) -> MessageAttachment:
    """Store a checked file for the user and client, not yet in any message."""
    with stored_upload(checked, folder="messages") as fields:
        return MessageAttachment.objects.create(
            client_id=client if isinstance(client, int) else client.pk, uploaded_by=user, **fields
        )


def bind_attachments(
    message: Message, *, user: User, ids: list[int] | None, files: list[CheckedUpload] | None
) -> None:
    """Put the user's unused uploads for the thread's client into the message, under lock, one per content.

    Files posted with the message itself (multipart `attachments`) come after the uploads and are kept only
    when their content is new. The same content twice (an upload and the same file posted again, the same
    file uploaded twice) is bound once, the first of it, as a request's files are; the limit counts what is
    bound. An upload left out stays unused (it goes with the unused uploads); a posted file left out is not
    stored.
    """
    ids, files = ids or [], files or []
    if not (ids or files):
        return
    client_id = message.thread.client_id
    uploads = {
        attachment.pk: attachment
        for attachment in MessageAttachment.objects.select_for_update().filter(
            pk__in=ids, client_id=client_id, uploaded_by=user, message__isnull=True
        )
    }
    if len(uploads) != len(set(ids)):
        text = _("One of the attachments does not exist or is already used.")
        raise PortalValidationError(text, fields={"attachment_ids": [text]})
    taken = one_per_content([*(uploads[pk] for pk in ids), *files])
    if len(taken) > MAX_ATTACHMENTS:
        text = _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}
        raise PortalValidationError(text, fields={"attachment_ids": [text]})
    bound = [
        item
        if isinstance(item, MessageAttachment)
        else keep_attachment(user=user, client=client_id, checked=item)
        for item in taken
    ]
    MessageAttachment.objects.filter(pk__in=[a.pk for a in bound]).update(message=message)


def discard_unsent_attachments(*, user: User, attachment_ids: list[int]) -> int:
    """Delete, row and file, the user's uploads of an answer the thread refused (closed meanwhile), so
    nothing is kept that no message will ever hold; bound ones are never touched."""
    if not attachment_ids:
        return 0
    unbound = Q(pk__in=attachment_ids, uploaded_by=user, message__isnull=True)
    return delete_unused_uploads(MessageAttachment, unbound=unbound, older_than=JUST_UPLOADED)
