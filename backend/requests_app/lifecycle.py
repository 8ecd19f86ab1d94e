"""The one mapping of an engine step to the request's status: FSM transitions and their timestamps.

A request action (backend/requests_app/services.py and the other step actions) calls `apply_step` with
the locked request and the facade's StepResult, then writes the history row and outbox events of each
status change it returns; everything commits with the engine state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from backend.core.language import quoted
from backend.core.prepared_writes import update_row
from backend.core.working_days import due_in_working_days
from backend.requests_app.models import PortalRequest, RequestStatus
from workflows.contract import Lane, Outcome, get_contract
from workflows.incidents import WorkflowIncident
from workflows.models import ProcessInstance
from workflows.reason_words import register_param_namer
from workflows.services import StepResult

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
# Transitions the system makes on its own, whoever ran the step (the change applied after an approval).
SYSTEM_TRANSITIONS = {"complete"}
# The repair console's reason when a step ends in an outcome the request's status refuses (e.g. a timer of
# the client's wait that leads to `approved`). Deploy refuses such flows (workflows/deploy_rules_lifecycle.py:
# check_outcomes_where_reached); versions deployed before that rule may still have one.
OUTCOME_REFUSED = gettext_noop(
    "The process reached the end event %(end)s with the outcome %(outcome)s after %(element)s, but a request "
    "in the status %(status)s cannot take that outcome, so the step was rolled back. The flow of this "
    "version is wrong there: move the request to a version with a corrected flow, or cancel it."
)


def _status_named(value: str) -> str:
    """The reason's status as the back office's pages name it, quoted (waiting_for_client → “Waiting for
    the client's reply”); a value no longer known stays as stored."""
    return quoted(str(RequestStatus(value).label)) if value in RequestStatus.values else value


# The incident keeps the status's value; the repair console reads it in its reader's words.
register_param_namer(OUTCOME_REFUSED, "status", _status_named)


@dataclass(frozen=True)
class StatusChange:
    """One FSM transition a step made: what the history row and the outbox events tell."""

    transition: str
    status_from: str
    status_to: str

    @property
    def by_system(self) -> bool:
        return self.transition in SYSTEM_TRANSITIONS

    @property
    def waiting_for_client(self) -> bool:
        return self.status_to == RequestStatus.WAITING_FOR_CLIENT

    @property
    def decided(self) -> bool:
        return self.status_to in DECIDED


def staff_sla_working_days() -> int:
    """Staff's SLA in working days (Monday to Friday without Polish public holidays)."""
    return int(getattr(settings, "REQUEST_STAFF_SLA_WORKING_DAYS", 5))


def staff_due_at(now: datetime, *, complaint_deadline_at: datetime | None = None) -> datetime:
    """When staff are due to act on a request that reached them `now`: the end of the office day (17:00,
    Polish time) of the SLA's last working day, backend/core/working_days.py, but never after a
    complaint's statutory deadline, which is law and counts calendar days (a microsecond before the end
    of the deadline day still reads as that day). Stored as `staff_due_at`: every list, flag, count,
    digest and the repair console read it from there."""
    due = due_in_working_days(now, staff_sla_working_days())
    if complaint_deadline_at is not None:
        due = min(due, complaint_deadline_at - timedelta(microseconds=1))
    return due


def _staff_due(now: datetime, step: StepResult) -> datetime:
    """Staff's due time for the step; the process carries the complaint's deadline moment its timer waits
    for (`complaint_clock`, backend/requests_app/complaints.py: the end of the deadline day)."""
    deadline_at = (step.data.get("complaint_clock") or {}).get("deadline_at")
    return staff_due_at(
        now, complaint_deadline_at=datetime.fromisoformat(deadline_at) if deadline_at else None
    )


def status_for_step(step: StepResult) -> RequestStatus | None:
    """Return the status the engine's step leads to (None: no status of its own, e.g. a side branch)."""
    if step.cancelled:
        return RequestStatus.CANCELLED
    if step.completed:
        return OUTCOME_STATUS.get(step.outcome)
    if not step.ready_tasks:
        return None
    task = step.ready_tasks[0]
    contract = get_contract(step.process_key)
    if contract is not None and task.name == contract.waiting_for_client_task:
        return RequestStatus.WAITING_FOR_CLIENT
    lane = (contract.lane_of(task.name) if contract is not None else None) or task.lane
    return LANE_STATUS.get(lane)


def apply_step(
    portal_request: PortalRequest,
    step: StepResult,
    *,
    instance: ProcessInstance,
    also: set[str] | frozenset[str] = frozenset(),
    action: str = "step",
) -> list[StatusChange]:
    """Bring the locked request in line with the step: stage, FSM transitions and their timestamps.

    `instance` is the saved instance (stage, current task, waiting-for): the request keeps it (a new
    request's first step stores its id), so whoever answers with the request reads no row twice. `also`:
    other fields the action set on the locked request (e.g. the claim of a first decision), written in
    the same UPDATE. Returns the transitions made, in order. A step that reached an outcome the request's
    status refuses raises WorkflowIncident (`action` names the step in it, e.g. "timer").
    """
    update_fields = set(also)
    if portal_request.process_instance_id != instance.pk:
        update_fields.add("process_instance_id")
    portal_request.process_instance = instance
    target = status_for_step(step)
    if step.stage != portal_request.stage:
        update_fields.add("stage")
    portal_request.stage = step.stage
    if target is None or target == portal_request.status:
        if update_fields:
            _save(portal_request, update_fields)
        return []
    update_fields |= {"status", "stage"}
    status_before = portal_request.status
    try:
        changes = [_transition(portal_request, name, step, update_fields) for name in PATHS[target]]
    except TransitionNotAllowed as exc:
        # The flow, not the caller, is wrong, and retrying cannot help: an incident that opens at once,
        # named by the element whose path led here (the timer that fired, the task completed).
        element = step.decided_by or step.stage
        raise WorkflowIncident(
            instance_id=instance.pk,
            process_version_id=instance.process_version_id,
            action=action,
            element_id=element,
            error=exc,
            reason_id=OUTCOME_REFUSED,
            reason_params={
                "end": step.stage,
                "outcome": step.outcome or "—",
                "element": element,
                "status": status_before,
            },
        ) from exc
    _save(portal_request, update_fields)  # one UPDATE for all of them
    return changes


def _save(portal_request: PortalRequest, fields: set[str]) -> None:
    """Write the step's fields and the modification time: one prepared UPDATE (every step comes here)."""
    portal_request.updated_at = timezone.now()
    update_row(
        PortalRequest,
        where={"id": portal_request.pk},
        values={name: getattr(portal_request, name) for name in sorted(fields | {"updated_at"})},
    )


def _transition(
    portal_request: PortalRequest, name: str, step: StepResult, update_fields: set
) -> StatusChange:
    status_from = portal_request.status
    getattr(portal_request, name)()
    now = timezone.now()
    if portal_request.status in DECIDED:
        portal_request.decided_at = now
        portal_request.decision_reason = step.data.get("reason", "") or step.data.get("answer", "")
        update_fields |= {"decided_at", "decision_reason"}
    if portal_request.status == RequestStatus.IN_REVIEW:
        portal_request.staff_due_at = _staff_due(now, step)
        update_fields.add("staff_due_at")
    elif portal_request.staff_due_at is not None:
        portal_request.staff_due_at = None
        update_fields.add("staff_due_at")
    return StatusChange(transition=name, status_from=status_from, status_to=portal_request.status)
