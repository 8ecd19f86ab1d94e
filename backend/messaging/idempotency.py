"""A message write given its form's one-time key (`idempotency_key`, a UUID the page puts in the form, or the
API's Idempotency-Key) happens once: the same form posted again (a double click, a re-sent page, two posts
at once) answers the thread or message the first post made and writes nothing (a unique key per writer,
checked under the thread's lock); the key with anything else posted is refused (IdempotencyKeyReused).

The lookups here serve the client's and the staff's writes alike, and the pages, which look before they
store a post's files.
"""

from __future__ import annotations

from types import EllipsisType

from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.core.exceptions import Conflict
from backend.documents.uploads import CheckedUpload
from backend.messaging.models import Message, MessageAttachment, MessageThread


class IdempotencyKeyReused(Conflict):
    """The key came back with anything else posted (text, subject, category, contract, files): a stale copy
    of a form already sent, or an API client's key reused, not a re-send."""

    code = "idempotency_key_reused"

    def default_message(self) -> str:  # the API's 409
        return _("This Idempotency-Key was already used for a different message.")

    @property
    def form_message(self) -> str:
        """What a page says beside its form: the user never sees the form's key."""
        return _("This form has already been sent with different content. Check it and send it again.")


def sent_thread(
    *,
    user: User,
    client: Client,
    idempotency_key: str,
    subject: str,
    body: str,
    category: str | None = None,
    contract: Contract | None | EllipsisType = ...,
    attachment_ids: list[int] | None = None,
    files: list[CheckedUpload] | None = None,
) -> MessageThread | None:
    """The thread an earlier post of the form made (None: none, or no key); the same key with anything
    else posted (subject, category, contract, text, files) is refused (IdempotencyKeyReused): answering the
    first thread would drop the difference silently. Also the pages' look before they store a post's
    files: `category`, `contract` (...) and the files (both None) they leave out are not compared."""
    if not idempotency_key:
        return None
    thread = MessageThread.objects.filter(
        created_by=user, client=client, idempotency_key=idempotency_key
    ).first()
    if thread is None:
        return None
    first = thread.messages.order_by("created_at", "pk").first()
    same = (
        first is not None
        and (thread.subject, first.body) == (subject, body)
        and category in (None, thread.category)
        and (contract is ... or thread.contract_id == (contract.pk if contract else None))
        and (
            (attachment_ids is None and files is None)
            or _same_attachments(first, user=user, ids=attachment_ids, files=files)
        )
    )
    if not same:
        raise IdempotencyKeyReused()
    return thread


def sent_message(
    *,
    thread: MessageThread,
    user: User,
    idempotency_key: str,
    body: str,
    attachment_ids: list[int] | None = None,
    files: list[CheckedUpload] | None = None,
) -> Message | None:
    """The message an earlier post of the form wrote in the thread, as sent_thread: its text and, when
    given, its files (the writes ask again under the thread's lock)."""
    if not idempotency_key:
        return None
    message = Message.objects.filter(thread=thread, author=user, idempotency_key=idempotency_key).first()
    if message is None:
        return None
    if message.body != body or not (
        (attachment_ids is None and files is None)
        or _same_attachments(message, user=user, ids=attachment_ids, files=files)
    ):
        raise IdempotencyKeyReused()
    return message


def _same_attachments(
    message: Message, *, user: User, ids: list[int] | None, files: list[CheckedUpload] | None
) -> bool:
    """Whether a post's files are the ones `message` holds. Compared by content, each content once as the
    message took it: a re-sent page stores its files again under new ids, and an id of the first post is
    bound by now (so it is looked up bound too)."""
    ids = set(ids or [])
    found = list(
        MessageAttachment.objects.filter(
            pk__in=ids, uploaded_by=user, client_id=message.thread.client_id
        ).values_list("sha256", flat=True)
    )
    if len(found) != len(ids):
        return False
    held = message.attachments.values_list("sha256", flat=True)
    return {*found, *(upload.sha256 for upload in files or [])} == set(held)
