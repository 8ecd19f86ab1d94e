"""The request's outbox events (backend/core outbox): ids and codes only, consumers re-read what they show.

Written by the request actions in the step's transaction; after commit they reach e-mails, in-portal
notices and the live stage push (notifications/). A task changing hands and an internal note are the back
office's alone.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event, record_outbox_events
from backend.requests_app.lifecycle import StatusChange
from backend.requests_app.models import PortalRequest, RequestEvent

if TYPE_CHECKING:
    from backend.accounts.models import User


def event_payload(portal_request: PortalRequest, *, waiting_for: str, status: str = "") -> dict:
    return {
        "request_id": portal_request.pk,
        "number": portal_request.number,
        "request_kind": portal_request.kind,  # fixed at submission: an e-mail's noun needs no read
        "stage": portal_request.stage,
        "status": status or portal_request.status,
        "waiting_for": waiting_for,
    }


def _record(portal_request: PortalRequest, kind: str, payload: dict, *, actor_id: int | None = None) -> None:
    record_outbox_event(
        kind=kind,
        subject=portal_request,
        client_id=portal_request.client_id,
        payload=payload,
        actor_id=actor_id,
    )


def _actor_id(actor: User | None) -> int | None:
    """The acting user's id; None for the system (a timer, an unsaved stand-in of an admin command)."""
    return getattr(actor, "pk", None)


def submitted(
    portal_request: PortalRequest, changes: list[StatusChange], *, waiting_for: str, actor: User | None
) -> None:
    """The new request (no stage yet, the status it was created in) and its first step's status events, in
    one INSERT."""
    created_in = changes[0].status_from if changes else portal_request.status
    payload = {**event_payload(portal_request, waiting_for=waiting_for, status=created_in), "stage": ""}
    record_outbox_events(
        events=[
            (OutboxEvent.Kind.REQUEST_SUBMITTED, payload),
            *_status_events(portal_request, changes, waiting_for=waiting_for),
        ],
        subject=portal_request,
        client_id=portal_request.client_id,
        actor_id=_actor_id(actor),
    )


def statuses_changed(
    portal_request: PortalRequest, changes: list[StatusChange], *, waiting_for: str, actor: User | None
) -> None:
    """The stage push for every change of a step; the waiting-for-client and decision notices where they
    apply (all written in one INSERT). `actor`: who made the step (None: a timer, the system)."""
    events = _status_events(portal_request, changes, waiting_for=waiting_for)
    if events:
        record_outbox_events(
            events=events,
            subject=portal_request,
            client_id=portal_request.client_id,
            actor_id=_actor_id(actor),
        )


def _status_events(
    portal_request: PortalRequest, changes: list[StatusChange], *, waiting_for: str
) -> list[tuple[str, dict]]:
    events = []
    for change in changes:
        payload = event_payload(
            portal_request,
            waiting_for="client" if change.waiting_for_client else waiting_for,
            status=change.status_to,
        )
        events.append((OutboxEvent.Kind.REQUEST_STAGE_CHANGED, payload))
        if change.waiting_for_client:
            events.append((OutboxEvent.Kind.REQUEST_WAITING_FOR_CLIENT, payload))
        if change.decided:
            events.append((OutboxEvent.Kind.REQUEST_DECIDED, {**payload, "decision": change.status_to}))
    return events


def comment_added(portal_request: PortalRequest, event: RequestEvent, *, waiting_for: str) -> None:
    payload = event_payload(portal_request, waiting_for=waiting_for)
    _record(
        portal_request,
        OutboxEvent.Kind.REQUEST_COMMENT,
        {**payload, "event_id": event.pk, "author": event.author},
        actor_id=event.actor_id,
    )


def reminder_sent(portal_request: PortalRequest, *, offer_expired_on: date | None = None) -> None:
    """The process reminded the client that it waits for their reply (the day-14 timer). `offer_expired_on`:
    the counter-offer the client is asked about expired that day, so the notice and e-mail say so."""
    payload = event_payload(portal_request, waiting_for="client")
    if offer_expired_on is not None:
        payload["offer_expired_on"] = offer_expired_on.isoformat()
    _record(portal_request, OutboxEvent.Kind.REQUEST_REMINDER, payload)


def assigned(portal_request: PortalRequest, *, previous_assignee_id: int | None, by: User) -> None:
    """The request's task changed hands (claimed, released, given to a colleague). Staff only: no client
    id, so the live push reaches the staff pages alone (assignee, lists, counts) and the client hears
    nothing; a colleague given the task is mailed (notifications/recipients.py)."""
    record_outbox_event(
        kind=OutboxEvent.Kind.REQUEST_ASSIGNED,
        subject=portal_request,
        client_id=None,
        payload={
            "request_id": portal_request.pk,
            "number": portal_request.number,
            "request_kind": portal_request.kind,
            "assignee_id": portal_request.assignee_id,
            "previous_assignee_id": previous_assignee_id,
            "by_id": by.pk,
        },
        actor_id=by.pk,
    )


def internal_note_added(portal_request: PortalRequest, *, author: User) -> None:
    """A colleague wrote an internal note (internal_notes.py). Staff only: no client id, so the live push
    reaches the staff pages alone (the request's task page shows it in its history) and no client group or
    request group, where a client's page watches, ever hears of it; notifications make nothing of it. The
    payload names the request only, never the note's text."""
    record_outbox_event(
        kind=OutboxEvent.Kind.REQUEST_INTERNAL_NOTE,
        subject=portal_request,
        client_id=None,
        payload={"request_id": portal_request.pk, "number": portal_request.number},
        actor_id=author.pk,
    )


def document_ready(portal_request: PortalRequest, *, decided_by_id: int | None) -> None:
    """The worker stored the decision document (decision_document.py): the client's request page and the
    staff task page open meanwhile said "being prepared" and now show its link. Notifications make nothing
    of it (the decision was told); the payload names the request only. Its actor is the decision's
    (`decided_by_id`): the follow-up of their action, which leaves the message on their page standing."""
    _record(
        portal_request,
        OutboxEvent.Kind.REQUEST_DOCUMENT_READY,
        {
            "request_id": portal_request.pk,
            "number": portal_request.number,
            "request_kind": portal_request.kind,
        },
        actor_id=decided_by_id,
    )


def staff_overdue(portal_request: PortalRequest) -> None:
    """The request is still with staff past its due time (backend/requests_app/overdue.py). Back office only:
    no client id, so no client hears of it; its assignee (or the team's address) is mailed once."""
    record_outbox_event(
        kind=OutboxEvent.Kind.REQUEST_STAFF_OVERDUE,
        subject=portal_request,
        client_id=None,
        payload={
            "request_id": portal_request.pk,
            "number": portal_request.number,
            "request_kind": portal_request.kind,
            "client_id": portal_request.client_id,
            "assignee_id": portal_request.assignee_id,
            "due_at": portal_request.staff_due_at.isoformat(),
        },
    )
