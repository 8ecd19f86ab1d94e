"""Writes on message threads: the client's new message and comments, staff replies and the final answer.

Each write locks the thread row, appends one Message and moves the thread's status. A write given its
form's one-time key (`idempotency_key`, a UUID the page puts in the form, or the API's Idempotency-Key)
happens once: the same form posted again (a double click, a re-sent page, two posts at once) answers the
thread or message the first post made and writes nothing (a unique key per writer, checked under the
thread's lock); the key with anything else posted is refused (IdempotencyKeyReused). Staff replies and
the final answer write a MESSAGE_ANSWERED outbox event; notifications tell the client after commit. A
client's new message or comment writes a MESSAGE_RECEIVED event, which the live push brings to the staff
inbox. Assigning a thread (a MESSAGE_ASSIGNED event for staff alone) and internal notes (never shown to the
client; a MESSAGE_INTERNAL_NOTE event for staff alone) are staff-only writes.
"""

from __future__ import annotations

from datetime import timedelta
from types import EllipsisType
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.customer_service import NOT_ASSIGNABLE, is_assignable
from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.core.exceptions import Conflict, InvalidTransition, PortalValidationError
from backend.core.models import OutboxEvent
from backend.core.services import record_audit, record_outbox_event
from backend.documents.unused_uploads import delete_unused_uploads
from backend.documents.uploads import CheckedUpload, check_upload, one_per_content, stored_upload_fields
from backend.messaging.models import InternalNote, Message, MessageAttachment, MessageThread

MAX_ATTACHMENTS = 5  # files in one message, each content counted once
# What one post may name (ids and files, each list) before the copies of a content are dropped: every file
# twice, as a form that kept it and had it chosen again sends it. More is refused unread.
MAX_POSTED_ATTACHMENTS = 2 * MAX_ATTACHMENTS


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


def upload_attachment(*, user: User, client: Client, uploaded) -> MessageAttachment:
    """Check the file by content and keep it (POST /api/messages/attachments/); bound when a message is sent."""
    return keep_attachment(
        user=user, client=client, checked=check_upload(uploaded, name=getattr(uploaded, "name", ""))
    )


def keep_attachment(*, user: User, client: Client | int, checked: CheckedUpload) -> MessageAttachment:
    """Store a checked file for the user and client, not yet in any message."""
    return MessageAttachment.objects.create(
        client_id=client if isinstance(client, int) else client.pk,
        uploaded_by=user,
        **stored_upload_fields(checked, folder="messages"),
    )


def _bind_attachments(
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


def _append(
    thread: MessageThread, *, author: User, body: str, from_staff: bool, final: bool = False, key: str = ""
) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        author=author,
        body=body,
        is_from_staff=from_staff,
        is_final_answer=final,
        created_at=now,
        idempotency_key=key,
    )
    thread.last_message_at = now
    return message


def _locked(thread: MessageThread) -> MessageThread:
    return MessageThread.objects.select_for_update().get(pk=thread.pk)


def send_new_thread(
    *,
    user: User,
    client: Client,
    subject: str,
    category: str,
    body: str,
    contract: Contract | None,
    attachment_ids: list[int] | None = None,
    files: list[CheckedUpload] | None = None,
    idempotency_key: str = "",
) -> tuple[MessageThread, bool]:
    """Send a new message to the lessor: (thread, created); the key sent again returns the thread it made.

    No row to lock exists yet: two posts at once both insert, and the unique key refuses the second, which
    then answers the first one's thread.
    """
    if contract is not None and contract.client_id != client.pk:
        raise PortalValidationError(
            _("Choose one of your contracts."), fields={"contract_id": [_("Invalid contract.")]}
        )
    post = {
        "subject": subject,
        "category": category,
        "body": body,
        "contract": contract,
        "attachment_ids": attachment_ids or [],
        "files": files or [],
    }
    sent = sent_thread(user=user, client=client, idempotency_key=idempotency_key, **post)
    if sent is not None:
        return sent, False
    try:
        with transaction.atomic():
            thread = MessageThread.objects.create(
                client=client,
                contract=contract,
                subject=subject,
                category=category,
                created_by=user,
                idempotency_key=idempotency_key,
            )
            message = _append(thread, author=user, body=body, from_staff=False)
            thread.save(update_fields=["last_message_at"])
            _bind_attachments(message, user=user, ids=attachment_ids, files=files)
            _record_received(thread, message, new_thread=True)
            return thread, True
    except IntegrityError:
        sent = sent_thread(user=user, client=client, idempotency_key=idempotency_key, **post)
        if sent is None:
            raise
        return sent, False


def start_thread(**fields: Any) -> MessageThread:
    """send_new_thread's thread (the page and the tests need not know whether the key made it)."""
    return send_new_thread(**fields)[0]


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


def add_client_comment(**fields: Any) -> Message:
    """send_client_comment's message (the page need not know whether the key wrote it)."""
    return send_client_comment(**fields)[0]


@transaction.atomic
def send_client_comment(
    *,
    user: User,
    thread: MessageThread,
    body: str,
    attachment_ids: list[int] | None = None,
    files: list[CheckedUpload] | None = None,
    idempotency_key: str = "",
) -> tuple[Message, bool]:
    """Add the client's comment ("Dodaj komentarz"); it reopens an answered or closed thread. Returns
    (message, created): the key sent again returns the comment it wrote."""
    thread = _locked(thread)
    sent = sent_message(
        thread=thread,
        user=user,
        idempotency_key=idempotency_key,
        body=body,
        attachment_ids=attachment_ids or [],
        files=files or [],
    )
    if sent is not None:
        return sent, False
    message = _append(thread, author=user, body=body, from_staff=False, key=idempotency_key)
    thread.status = MessageThread.Status.OPEN
    thread.save(update_fields=["status", "last_message_at"])
    _bind_attachments(message, user=user, ids=attachment_ids, files=files)
    _record_received(thread, message, new_thread=False)
    return message, True


def _record_received(thread: MessageThread, message: Message, *, new_thread: bool) -> None:
    # Ids only: the staff inbox re-reads the thread over HTTP when the push arrives.
    record_outbox_event(
        kind=OutboxEvent.Kind.MESSAGE_RECEIVED,
        subject=thread,
        client_id=thread.client_id,
        payload={"thread_id": thread.pk, "message_id": message.pk, "new_thread": new_thread},
    )


def _record_answered(thread: MessageThread, message: Message, *, final: bool) -> None:
    record_outbox_event(
        kind=OutboxEvent.Kind.MESSAGE_ANSWERED,
        subject=thread,
        client_id=thread.client_id,
        payload={"thread_id": thread.pk, "message_id": message.pk, "final": final, "subject": thread.subject},
    )


def reply_as_staff(**fields: Any) -> Message:
    """send_staff_reply's message (the page need not know whether the key wrote it)."""
    return send_staff_reply(**fields)[0]


@transaction.atomic
def send_staff_reply(
    *,
    user: User,
    thread: MessageThread,
    body: str,
    attachment_ids: list[int] | None = None,
    files: list[CheckedUpload] | None = None,
    idempotency_key: str = "",
) -> tuple[Message, bool]:
    """Answer the client; the thread becomes answered. A closed thread takes no replies. Returns (message,
    created): the key sent again returns the reply it wrote, as send_client_comment."""
    thread = _locked(thread)
    sent = sent_message(
        thread=thread,
        user=user,
        idempotency_key=idempotency_key,
        body=body,
        attachment_ids=attachment_ids or [],
        files=files or [],
    )
    if sent is not None:
        return sent, False
    if thread.status == MessageThread.Status.CLOSED:
        raise InvalidTransition(_("The thread is closed: the final answer has been given."))
    message = _append(thread, author=user, body=body, from_staff=True, key=idempotency_key)
    thread.status = MessageThread.Status.ANSWERED
    fields = ["status", "last_message_at"]
    if thread.assignee_id is None:  # whoever answers an unassigned thread takes it
        thread.assignee, thread.assigned_at = user, message.created_at
        fields += ["assignee", "assigned_at"]
    thread.save(update_fields=fields)
    _bind_attachments(message, user=user, ids=attachment_ids, files=files)
    _record_answered(thread, message, final=False)
    return message, True


@transaction.atomic
def set_final_answer(
    *, user: User, thread: MessageThread, body: str, idempotency_key: str = ""
) -> MessageThread:
    """Give the lessor's final answer; it closes the thread (the form sent again finds it given)."""
    thread = _locked(thread)
    if sent_message(thread=thread, user=user, idempotency_key=idempotency_key, body=body) is not None:
        return thread
    if thread.status == MessageThread.Status.CLOSED:
        raise InvalidTransition(_("The thread is closed: the final answer has been given."))
    message = _append(thread, author=user, body=body, from_staff=True, final=True, key=idempotency_key)
    thread.final_answer = body
    thread.final_answer_at = message.created_at
    thread.final_answer_by = user
    thread.status = MessageThread.Status.CLOSED
    fields = ["final_answer", "final_answer_at", "final_answer_by", "status", "last_message_at"]
    if thread.assignee_id is None:
        thread.assignee, thread.assigned_at = user, message.created_at
        fields += ["assignee", "assigned_at"]
    thread.save(update_fields=fields)
    _record_answered(thread, message, final=True)
    return thread


@transaction.atomic
def assign_thread(
    *,
    user: User,
    thread: MessageThread,
    assignee: User | None,
    expected_assignee_id: int | None | EllipsisType = ...,
) -> MessageThread:
    """Give the thread to a staff member, take it over (assignee = user) or release it (None).

    Taking over a thread someone else holds is allowed on purpose: customer service covers absences. With
    `expected_assignee_id` (who the caller saw holding it; None: nobody) a thread that changed hands since
    is left as it is (Conflict), so a click on a stale page never takes it from a colleague unawares.
    """
    if assignee is not None and not is_assignable(assignee):
        message_text = str(NOT_ASSIGNABLE)
        raise PortalValidationError(message_text, fields={"assignee_id": [message_text]})
    thread = _locked(thread)
    previous = thread.assignee_id
    if expected_assignee_id is not ... and previous != expected_assignee_id:
        raise Conflict(_assignment_changed_text(thread))
    if previous == (assignee.pk if assignee else None):
        return thread
    thread.assignee = assignee
    thread.assigned_at = timezone.now() if assignee else None
    thread.save(update_fields=["assignee", "assigned_at"])
    record_audit(
        action="message.assigned",
        user=user,
        thread_id=thread.pk,
        assignee_id=assignee.pk if assignee else None,
        previous_assignee_id=previous,
    )
    # Staff only: no client id, so the live push reaches the staff inbox alone and the client hears nothing.
    record_outbox_event(
        kind=OutboxEvent.Kind.MESSAGE_ASSIGNED,
        subject=thread,
        client_id=None,
        payload={
            "thread_id": thread.pk,
            "assignee_id": assignee.pk if assignee else None,
            "previous_assignee_id": previous,
            "by_id": user.pk,
        },
    )
    return thread


def _assignment_changed_text(thread: MessageThread) -> str:
    if thread.assignee is None:
        return _("Meanwhile the thread has been released; nobody handles it now. Nothing was changed.")
    name = thread.assignee.get_full_name() or thread.assignee.email
    return _("Meanwhile %(name)s has taken this thread. Nothing was changed.") % {"name": name}


def discard_unsent_attachments(*, user: User, attachment_ids: list[int]) -> int:
    """Delete, row and file, the user's uploads of an answer the thread refused (closed meanwhile), so
    nothing is kept that no message will ever hold; bound ones are never touched."""
    if not attachment_ids:
        return 0
    unbound = Q(pk__in=attachment_ids, uploaded_by=user, message__isnull=True)
    return delete_unused_uploads(MessageAttachment, unbound=unbound, older_than=JUST_UPLOADED)


# Any age: the uploads of the request being answered were stored a moment ago.
JUST_UPLOADED = -timedelta(minutes=5)


@transaction.atomic
def add_internal_note(*, user: User, thread: MessageThread, body: str) -> InternalNote:
    """Leave a note for other staff on the thread; the client never sees it (no Message). Its outbox event
    is staff only (no client id, the thread's id, never the text), so colleagues with the thread open see
    the note live and no client socket, notice or e-mail carries it."""
    thread = _locked(thread)
    note = InternalNote.objects.create(thread=thread, author=user, body=body)
    record_outbox_event(
        kind=OutboxEvent.Kind.MESSAGE_INTERNAL_NOTE,
        subject=thread,
        client_id=None,
        payload={"thread_id": thread.pk},
    )
    return note
