"""The message threads' outbox events (backend/core outbox), written in the write's transaction.

A client's new message or comment is MESSAGE_RECEIVED, which the live push brings to the staff inbox. A
staff reply and the final answer are MESSAGE_ANSWERED; notifications tell the client after commit.
Assigning a thread (MESSAGE_ASSIGNED) and an internal note (MESSAGE_INTERNAL_NOTE) are the staff's alone:
no client id, so the live push reaches the staff inbox alone and no client socket, notice or e-mail
carries them.
"""

from __future__ import annotations

from backend.accounts.models import User
from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event
from backend.messaging.models import Message, MessageThread


def message_received(thread: MessageThread, message: Message, *, new_thread: bool) -> None:
    # Ids only: the staff inbox re-reads the thread over HTTP when the push arrives.
    record_outbox_event(
        kind=OutboxEvent.Kind.MESSAGE_RECEIVED,
        subject=thread,
        client_id=thread.client_id,
        payload={"thread_id": thread.pk, "message_id": message.pk, "new_thread": new_thread},
        actor_id=message.author_id,
    )


def message_answered(thread: MessageThread, message: Message, *, final: bool) -> None:
    record_outbox_event(
        kind=OutboxEvent.Kind.MESSAGE_ANSWERED,
        subject=thread,
        client_id=thread.client_id,
        payload={"thread_id": thread.pk, "message_id": message.pk, "final": final, "subject": thread.subject},
        actor_id=message.author_id,
    )


def thread_assigned(
    thread: MessageThread, *, assignee: User | None, previous_assignee_id: int | None, by: User
) -> None:
    record_outbox_event(
        kind=OutboxEvent.Kind.MESSAGE_ASSIGNED,
        subject=thread,
        client_id=None,  # staff only: the client hears nothing
        payload={
            "thread_id": thread.pk,
            "assignee_id": assignee.pk if assignee else None,
            "previous_assignee_id": previous_assignee_id,
            "by_id": by.pk,
        },
        actor_id=by.pk,
    )


def internal_note_added(thread: MessageThread, *, author: User) -> None:
    # Staff only, and the thread's id, never the note's text.
    record_outbox_event(
        kind=OutboxEvent.Kind.MESSAGE_INTERNAL_NOTE,
        subject=thread,
        client_id=None,
        payload={"thread_id": thread.pk},
        actor_id=author.pk,
    )
