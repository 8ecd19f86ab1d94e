"""What the client's and the staff's writes on a thread share: the thread row locked first (a new thread
has no row to lock yet), and the one Message a write appends (the thread's last message time moves with
it; the caller saves the thread with the fields it changed)."""

from __future__ import annotations

from django.utils import timezone

from backend.accounts.models import User
from backend.messaging.models import Message, MessageThread


def lock_thread(thread: MessageThread) -> MessageThread:
    """Lock and read the thread again: two writes on one thread take turns."""
    return MessageThread.objects.select_for_update().get(pk=thread.pk)


def append_message(
    thread: MessageThread, *, author: User, body: str, from_staff: bool, final: bool = False, key: str = ""
) -> Message:
    """One Message on the thread, at the time it becomes the thread's last (saved by the caller)."""
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
