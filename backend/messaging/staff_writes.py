"""The staff's writes on message threads: a reply, the final answer, assigning a thread, an internal note.

Each locks the thread row first. A reply and the final answer append one Message, move the thread's status
(whoever answers an unassigned thread takes it) and write a MESSAGE_ANSWERED outbox event, which tells
the client; a closed thread takes neither, and a post given its form's key happens once (idempotency.py).
Assigning and internal notes (never shown to the client) are for the staff alone, their events too
(outbox.py).
"""

from __future__ import annotations

from types import EllipsisType
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.customer_service import NOT_ASSIGNABLE, is_assignable
from backend.accounts.models import User
from backend.core.exceptions import Conflict, InvalidTransition, PortalValidationError
from backend.core.services import record_audit
from backend.documents.uploads import CheckedUpload
from backend.messaging import outbox
from backend.messaging.attachments import bind_attachments
from backend.messaging.idempotency import sent_message
from backend.messaging.models import InternalNote, Message, MessageThread
from backend.messaging.thread_writes import append_message, lock_thread


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
    created): the key sent again returns the reply it wrote, as client_writes.send_client_comment."""
    thread = lock_thread(thread)
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
    message = append_message(thread, author=user, body=body, from_staff=True, key=idempotency_key)
    thread.status = MessageThread.Status.ANSWERED
    fields = ["status", "last_message_at"]
    if thread.assignee_id is None:  # whoever answers an unassigned thread takes it
        thread.assignee, thread.assigned_at = user, message.created_at
        fields += ["assignee", "assigned_at"]
    thread.save(update_fields=fields)
    bind_attachments(message, user=user, ids=attachment_ids, files=files)
    outbox.message_answered(thread, message, final=False)
    return message, True


@transaction.atomic
def set_final_answer(
    *, user: User, thread: MessageThread, body: str, idempotency_key: str = ""
) -> MessageThread:
    """Give the lessor's final answer; it closes the thread (the form sent again finds it given)."""
    thread = lock_thread(thread)
    if sent_message(thread=thread, user=user, idempotency_key=idempotency_key, body=body) is not None:
        return thread
    if thread.status == MessageThread.Status.CLOSED:
        raise InvalidTransition(_("The thread is closed: the final answer has been given."))
    message = append_message(thread, author=user, body=body, from_staff=True, final=True, key=idempotency_key)
    thread.final_answer = body
    thread.final_answer_at = message.created_at
    thread.final_answer_by = user
    thread.status = MessageThread.Status.CLOSED
    fields = ["final_answer", "final_answer_at", "final_answer_by", "status", "last_message_at"]
    if thread.assignee_id is None:
        thread.assignee, thread.assigned_at = user, message.created_at
        fields += ["assignee", "assigned_at"]
    thread.save(update_fields=fields)
    outbox.message_answered(thread, message, final=True)
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
    thread = lock_thread(thread)
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
    outbox.thread_assigned(thread, assignee=assignee, previous_assignee_id=previous, by=user)
    return thread


def _assignment_changed_text(thread: MessageThread) -> str:
    if thread.assignee is None:
        return _("Meanwhile the thread has been released; nobody handles it now. Nothing was changed.")
    name = thread.assignee.get_full_name() or thread.assignee.email
    return _("Meanwhile %(name)s has taken this thread. Nothing was changed.") % {"name": name}


@transaction.atomic
def add_internal_note(*, user: User, thread: MessageThread, body: str) -> InternalNote:
    """Leave a note for other staff on the thread; the client never sees it (no Message). Its outbox event
    is staff only (no client id, the thread's id, never the text), so colleagues with the thread open see
    the note live and no client socket, notice or e-mail carries it."""
    thread = lock_thread(thread)
    note = InternalNote.objects.create(thread=thread, author=user, body=body)
    outbox.internal_note_added(thread, author=user)
    return note
