"""The one place that maps engine steps to the request's FSM status, history and outbox events.

Registered as a workflows step listener, so it runs inside the transaction of every step (user task,
timer, cancel): the status, the history rows and the outbox rows commit together with the engine state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event
from backend.requests_app.models import PortalRequest, RequestEvent, RequestStatus
from workflows.contract import Lane, Outcome, get_contract

# The status follows the request type's contract (workflows/contract.py), never element ids: the lane of
# the ready user task while running, the outcome of the deciding end event once finished.
OUTCOME_STATUS = {
    Outcome.APPROVED: RequestStatus.COMPLETED,
    Outcome.REJECTED: RequestStatus.REJECTED,
    Outcome.CANCELLED: RequestStatus.CANCELLED,
}
LANE_STATUS = {Lane.STAFF: RequestStatus.IN_REVIEW, Lane.CLIENT: RequestStatus.WAITING_FOR_CLIENT}
# The transitions that lead from one status to the next one the engine reached.
PATHS = {
    RequestStatus.IN_REVIEW: ["start_review"],
    RequestStatus.WAITING_FOR_CLIENT: ["wait_for_client"],
    RequestStatus.COMPLETED: ["approve", "complete"],
    RequestStatus.REJECTED: ["reject"],
    RequestStatus.CANCELLED: ["cancel"],
}
DECIDED = {RequestStatus.APPROVED, RequestStatus.REJECTED}


# The request a service has locked and is stepping now: the listener updates that very object, so the
# service needs no second read of the row, and what it returns is what was committed.
_stepping: ContextVar[PortalRequest | None] = ContextVar("stepping_request", default=None)


@contextmanager
def stepping(portal_request: PortalRequest) -> Iterator[PortalRequest]:
    """Run an engine step of `portal_request` (already locked by the caller)."""
    token = _stepping.set(portal_request)
    try:
        yield portal_request
    finally:
        _stepping.reset(token)


def _request_of(instance) -> PortalRequest | None:
    current = _stepping.get()
    if current is not None and current.process_instance_id == instance.pk:
        current.process_instance = instance  # the saved instance: stage, current task, waiting-for
        return current
    return PortalRequest.objects.select_for_update().filter(process_instance=instance).first()


def staff_sla() -> timedelta:
    return timedelta(days=getattr(settings, "REQUEST_STAFF_SLA_DAYS", 5))


def event_payload(portal_request: PortalRequest, *, waiting_for: str) -> dict:
    """Ids and codes only: consumers re-read what they may show."""
    return {
        "request_id": portal_request.pk,
        "number": portal_request.number,
        "stage": portal_request.stage,
        "status": portal_request.status,
        "waiting_for": waiting_for,
    }


def _author(actor) -> str:
    if actor is None:
        return RequestEvent.Author.SYSTEM
    return RequestEvent.Author.CLIENT if actor.is_client_user else RequestEvent.Author.STAFF


def status_for_step(process_key: str, result) -> RequestStatus | None:
    """Return the status the engine's step leads to (None: no status of its own, e.g. a side branch)."""
    if result.cancelled:
        return RequestStatus.CANCELLED
    if result.completed:
        return OUTCOME_STATUS.get(result.outcome)
    if not result.ready_tasks:
        return None
    task = result.ready_tasks[0]
    contract = get_contract(process_key)
    if contract is not None and task.name == contract.waiting_for_client_task:
        return RequestStatus.WAITING_FOR_CLIENT
    lane = (contract.lane_of(task.name) if contract is not None else None) or task.lane
    return LANE_STATUS.get(lane)


def sync_request_with_step(instance, result, *, actor=None, action: str = "", migration=None) -> None:
    """Bring the request in line with the engine: transitions, history and outbox, in this transaction."""
    portal_request = _request_of(instance)
    if portal_request is None:
        return
    if action == "migrate":
        # An analyst moved the request to another version of its process: versions and timer due times.
        RequestEvent.objects.create(
            request=portal_request,
            kind=RequestEvent.Kind.MIGRATED,
            author=_author(actor),
            actor=actor,
            stage=portal_request.stage,
            data=migration or {},
        )
    if action == "start":
        RequestEvent.objects.create(
            request=portal_request,
            kind=RequestEvent.Kind.SUBMITTED,
            author=_author(actor),
            actor=actor,
            status_to=portal_request.status,
        )
        record_outbox_event(
            kind=OutboxEvent.Kind.REQUEST_SUBMITTED,
            subject=portal_request,
            client_id=portal_request.client_id,
            payload=event_payload(portal_request, waiting_for=result.waiting_for),
        )
    target = status_for_step(instance.process_version.process_key, result)
    stage_changed = result.stage != portal_request.stage
    portal_request.stage = result.stage
    if target is not None and target != portal_request.status:
        for transition in PATHS[target]:
            _transition(portal_request, transition, result, actor=actor)
    elif stage_changed:
        portal_request.save(update_fields=["stage", "updated_at"])


def _transition(portal_request: PortalRequest, name: str, result, *, actor) -> None:
    status_from = portal_request.status
    getattr(portal_request, name)()
    now = timezone.now()
    update_fields = ["status", "stage", "updated_at"]
    if portal_request.status in DECIDED:
        portal_request.decided_at = now
        portal_request.decision_reason = result.data.get("reason", "") or result.data.get("answer", "")
        update_fields += ["decided_at", "decision_reason"]
    if portal_request.status == RequestStatus.IN_REVIEW:
        portal_request.staff_due_at = now + staff_sla()
        update_fields.append("staff_due_at")
    elif portal_request.staff_due_at is not None:
        portal_request.staff_due_at = None
        update_fields.append("staff_due_at")
    portal_request.save(update_fields=update_fields)
    RequestEvent.objects.create(
        request=portal_request,
        kind=RequestEvent.Kind.STAGE_CHANGED,
        author=_author(actor) if name not in {"complete"} else RequestEvent.Author.SYSTEM,
        actor=actor if name not in {"complete"} else None,
        stage=portal_request.stage,
        status_from=status_from,
        status_to=portal_request.status,
    )
    waiting_for = (
        "client" if portal_request.status == RequestStatus.WAITING_FOR_CLIENT else result.waiting_for
    )
    payload = event_payload(portal_request, waiting_for=waiting_for)
    subject = {"subject": portal_request, "client_id": portal_request.client_id}
    record_outbox_event(kind=OutboxEvent.Kind.REQUEST_STAGE_CHANGED, payload=payload, **subject)
    if portal_request.status == RequestStatus.WAITING_FOR_CLIENT:
        record_outbox_event(kind=OutboxEvent.Kind.REQUEST_WAITING_FOR_CLIENT, payload=payload, **subject)
    if portal_request.status in DECIDED:
        record_outbox_event(
            kind=OutboxEvent.Kind.REQUEST_DECIDED,
            payload={**payload, "decision": portal_request.status},
            **subject,
        )
