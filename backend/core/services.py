"""Write the outbox and the audit log. Everything that changes a request or logs in goes through here."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from backend.core.models import AuditLog, OutboxEvent
from backend.core.net import client_ip
from backend.core.prepared_writes import insert_rows

_outbox_listeners: list = []


def on_outbox_commit(listener) -> None:
    """Register `listener(event_ids: list[int])`, called after the transaction that wrote them commits."""
    if listener not in _outbox_listeners:
        _outbox_listeners.append(listener)


# The payload key of the user whose action wrote the event (none: the system, a timer). The live push
# turns it into each socket's own "was it you" (notifications/consumers.py); no socket receives the id.
OUTBOX_ACTOR_KEY = "actor_id"


def record_outbox_event(
    *,
    kind: str,
    subject: models.Model,
    client_id: int | None,
    payload: dict[str, Any] | None = None,
    actor_id: int | None = None,
) -> OutboxEvent:
    """Write an outbox row in the caller's transaction; hand its id to consumers once committed.

    The ids of one transaction reach the listeners together, after its commit: a step that writes three
    events queues one task, not three. `actor_id`: the user whose action it is (OUTBOX_ACTOR_KEY).
    """
    return record_outbox_events(
        events=[(kind, payload)], subject=subject, client_id=client_id, actor_id=actor_id
    )[0]


def record_outbox_events(
    *,
    events: list[tuple[str, dict[str, Any] | None]],
    subject: models.Model,
    client_id: int | None,
    actor_id: int | None = None,
) -> list[OutboxEvent]:
    """Write (kind, payload) outbox rows about one subject in one INSERT, as record_outbox_event does."""
    actor = {OUTBOX_ACTOR_KEY: actor_id} if actor_id is not None else {}
    rows = insert_rows(  # one prepared INSERT: every step writes here (backend/core/prepared_writes.py)
        [
            OutboxEvent(
                kind=kind,
                client_id=client_id,
                subject_type=subject._meta.label_lower,
                subject_id=subject.pk,
                payload={**(payload or {}), **actor},
            )
            for kind, payload in events
        ]
    )
    for row in rows:
        _dispatch_after_commit(row.pk)
    return rows


class _OutboxBatch:
    """The outbox ids of one transaction, handed to the listeners by one on-commit callback."""

    def __init__(self) -> None:
        self.event_ids: list[int] = []
        self.sent = False

    def __call__(self) -> None:
        self.sent = True
        for listener in list(_outbox_listeners):
            listener(list(self.event_ids))


def _dispatch_after_commit(event_id: int) -> None:
    connection = transaction.get_connection()
    batch = connection.__dict__.get("_outbox_batch")
    # One batch per transaction and savepoint level. A new one when the last was sent, was dropped by
    # the rollback of the transaction or savepoint that registered it (Django then removes its callback,
    # and its rows are gone too), or belongs to another savepoint level: an id written inside a savepoint
    # must leave with it if that savepoint rolls back, not stay in an outer batch (SQLite would even give
    # the next row the same id, and the listeners would get it twice).
    savepoints = set(connection.savepoint_ids)
    if (
        batch is None
        or batch.sent
        or not any(c is batch and sids == savepoints for sids, c, _ in connection.run_on_commit)
    ):
        batch = _OutboxBatch()
        connection.__dict__["_outbox_batch"] = batch
        batch.event_ids.append(event_id)
        transaction.on_commit(batch)  # outside a transaction this runs at once
    else:
        batch.event_ids.append(event_id)


def record_audit(
    *,
    action: str,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    success: bool = True,
    **detail: Any,
) -> AuditLog:
    return AuditLog.objects.create(
        action=action,
        user=user if user is not None and getattr(user, "pk", None) else None,
        username=username or (getattr(user, "email", "") if user is not None else ""),
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else ""),
        success=success,
        detail=detail,
    )
