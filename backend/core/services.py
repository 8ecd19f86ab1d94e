"""Write the outbox and the audit log. Everything that changes a request or logs in goes through here."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from backend.core.models import AuditLog, OutboxEvent
from backend.core.net import client_ip

_outbox_listeners: list = []


def on_outbox_commit(listener) -> None:
    """Register `listener(event_ids: list[int])`, called after the transaction that wrote them commits."""
    if listener not in _outbox_listeners:
        _outbox_listeners.append(listener)


def record_outbox_event(
    *, kind: str, subject: models.Model, client_id: int | None, payload: dict[str, Any] | None = None
) -> OutboxEvent:
    """Write an outbox row in the caller's transaction; hand its id to consumers once committed."""
    event = OutboxEvent.objects.create(
        kind=kind,
        client_id=client_id,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        payload=payload or {},
    )
    for listener in list(_outbox_listeners):
        transaction.on_commit(lambda listener=listener, event_id=event.pk: listener([event_id]))
    return event


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
