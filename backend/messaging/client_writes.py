"""The client's writes on message threads: a new message to the lessor and a comment on a thread.

Each appends one Message, binds its files (attachments.py) and writes a MESSAGE_RECEIVED outbox event
(outbox.py); a comment locks the thread row first and reopens the thread. A post given its form's key
happens once (idempotency.py).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.core.exceptions import PortalValidationError
from backend.documents.uploads import CheckedUpload
from backend.messaging import outbox
from backend.messaging.attachments import bind_attachments
from backend.messaging.idempotency import sent_message, sent_thread
from backend.messaging.models import Message, MessageThread
from backend.messaging.thread_writes import append_message, lock_thread


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
            message = append_message(thread, author=user, body=body, from_staff=False)
            thread.save(update_fields=["last_message_at"])
            bind_attachments(message, user=user, ids=attachment_ids, files=files)
            outbox.message_received(thread, message, new_thread=True)
            return thread, True
    except IntegrityError:
        sent = sent_thread(user=user, client=client, idempotency_key=idempotency_key, **post)
        if sent is None:
            raise
        return sent, False


def start_thread(**fields: Any) -> MessageThread:
    """send_new_thread's thread (the page and the tests need not know whether the key made it)."""
    return send_new_thread(**fields)[0]


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
    message = append_message(thread, author=user, body=body, from_staff=False, key=idempotency_key)
    thread.status = MessageThread.Status.OPEN
    thread.save(update_fields=["status", "last_message_at"])
    bind_attachments(message, user=user, ids=attachment_ids, files=files)
    outbox.message_received(thread, message, new_thread=False)
    return message, True
