"""Steps of process instances: start, complete a user task, fire timers, cancel, move to another version.

Each step locks the instance row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
already serialize writers), runs the engine on the stored state, saves it with
`UPDATE ... WHERE version = <read version>` and returns a plain `StepResult`. The caller (a domain
service, in the same transaction) applies that result to its own objects; nothing here knows them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.exceptions import Conflict, PortalError, PortalValidationError, TaskNotReady
from backend.core.prepared_reads import PreparedRead
from backend.core.prepared_writes import update_row
from workflows import engine
from workflows.contract import CancelledStage
from workflows.deployment import get_current_version, get_version
from workflows.forms import validate_form_data, version_form
from workflows.incidents import WorkflowIncident, records_incidents, resolve_incidents
from workflows.models import IncidentState, ProcessInstance, ProcessVersion
from workflows.service_tasks import call_service, domain_errors
from workflows.versioning import parsed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepResult:
    """What a step left the instance at, for the domain to apply: no engine state inside."""

    process_key: str
    stage: str  # id of the ready user task, or of the end event reached, or "cancelled"
    instance_status: str  # ProcessInstance.Status: running | completed | cancelled
    waiting_for: str  # ProcessInstance.WaitingFor: client | staff | nobody
    outcome: str  # the outcome property of the deciding end event, once completed
    ready_tasks: tuple[engine.UserTask, ...]
    data: dict  # the data of the last task run (what the process knows now)
    ran: tuple[str, ...]  # element ids run during the step, in order
    decided_by: str = ""  # once completed: the timer or user task whose path reached the end event

    @property
    def completed(self) -> bool:
        return self.instance_status == ProcessInstance.Status.COMPLETED

    @property
    def cancelled(self) -> bool:
        return self.instance_status == ProcessInstance.Status.CANCELLED


@dataclass(frozen=True)
class VersionMove:
    """A running instance moved to another version: the step (None when it was there already) and
    what moved (versions, timer due times before and after)."""

    instance: ProcessInstance
    step: StepResult | None
    detail: dict


class InstanceSuspended(PortalError):
    """An administrator suspended the instance (workflows/repair.py): no step runs until it is resumed."""

    code, status = "instance_suspended", 409

    def default_message(self) -> str:
        return _(
            "This request's process is suspended by an administrator; no step can run until it is resumed."
        )


def refuse_if_suspended(instance: ProcessInstance) -> None:
    if instance.suspended:
        raise InstanceSuspended()


def stored_state(instance: ProcessInstance) -> dict:
    """The instance's stored engine state; an older format is only logged (SpiffWorkflow's own
    deserializer migrates its part when the state is loaded)."""
    if instance.serializer_version != engine.SERIALIZER_VERSION:
        logger.info("Instance %s state is in format %s", instance.pk, instance.serializer_version)
    return instance.state


def _locked_instance_rows():
    """Instance rows locked for a step, with their version's checksum: the version itself comes from the
    per-process cache (`_with_cached_version`), versions being immutable."""
    return ProcessInstance.objects.select_for_update(of=("self",)).annotate(
        version_checksum=F("process_version__checksum")
    )


def _with_cached_version(instance: ProcessInstance) -> ProcessInstance:
    instance.process_version = get_version(instance.process_version_id, instance.version_checksum)
    return instance


# Every step locks its instance: compiled once per connection (backend/core/prepared_reads.py).
_LOCKED_INSTANCE = PreparedRead(lambda pk: _locked_instance_rows().filter(pk=pk)[:1], ints=("pk",))


def lock_instance(instance_id: int) -> ProcessInstance:
    """Lock and read only the instance row: versions are immutable and cached per process."""
    instance = _LOCKED_INSTANCE.first(pk=instance_id)
    if instance is None:
        raise ProcessInstance.DoesNotExist(f"ProcessInstance {instance_id} does not exist.")
    return _with_cached_version(instance)


def ready_tasks(instance: ProcessInstance, *, lane: str | None = None) -> list[engine.UserTask]:
    """Return the user tasks of the instance waiting for a person (optionally one lane's)."""
    return engine.ready_user_tasks(parsed(instance.process_version), instance.state, lane=lane)


def get_task_form(instance: ProcessInstance, task_name: str) -> dict:
    process = parsed(instance.process_version)
    template = process.user_tasks.get(task_name)
    if template is None:
        return {}
    return version_form(instance.process_version, template.form_key)


# --------------------------------------------------------------------------------------------------
# Saving a step, and its failures


def _apply_engine_result(instance: ProcessInstance, result: engine.StepResult) -> None:
    instance.state = result.state
    instance.serializer_version = engine.SERIALIZER_VERSION
    instance.stage = result.stage
    instance.waiting_for = result.waiting_for
    instance.current_task_id = result.ready_tasks[0].id if result.ready_tasks else None
    instance.current_task_name = result.ready_tasks[0].name if result.ready_tasks else ""
    instance.next_timer_due = result.next_timer_due
    instance.timer_dues = {element_id: due.isoformat() for element_id, due in result.timer_dues.items()}
    if result.cancelled:
        instance.status = ProcessInstance.Status.CANCELLED
    elif result.completed:
        instance.status = ProcessInstance.Status.COMPLETED
    else:
        instance.status = ProcessInstance.Status.RUNNING


def step_result(instance: ProcessInstance, result: engine.StepResult) -> StepResult:
    return StepResult(
        process_key=instance.process_version.process_key,
        stage=result.stage,
        instance_status=instance.status,
        waiting_for=result.waiting_for,
        outcome=result.outcome,
        ready_tasks=tuple(result.ready_tasks),
        data=result.data,
        ran=tuple(result.ran),
        decided_by=result.decided_by,
    )


def save_step(instance: ProcessInstance, result: engine.StepResult) -> StepResult:
    """Save the engine's result on the locked instance (optimistic version check) and describe it."""
    read_version = instance.version
    had_incident = bool(instance.incident_state)
    _apply_engine_result(instance, result)
    # The step's hot path: one prepared UPDATE (backend/core/prepared_writes.py).
    updated = update_row(
        ProcessInstance,
        where={"id": instance.pk, "version": read_version},
        values={
            "process_version_id": instance.process_version_id,
            "state": instance.state,
            "serializer_version": instance.serializer_version,
            "stage": instance.stage,
            "waiting_for": instance.waiting_for,
            "current_task_id": instance.current_task_id,
            "current_task_name": instance.current_task_name,
            "next_timer_due": instance.next_timer_due,
            "timer_dues": instance.timer_dues,
            "status": instance.status,
            "incident_state": IncidentState.NONE,
            "next_retry_at": None,
            "version": read_version + 1,
            "updated_at": timezone.now(),
        },
    )
    if updated != 1:
        raise Conflict()
    instance.version = read_version + 1
    if had_incident:
        resolve_incidents(instance.pk)
    instance.incident_state, instance.next_retry_at = IncidentState.NONE, None
    return step_result(instance, result)


def is_incident(exc: BaseException) -> bool:
    """Is this failure of an engine step the process's fault (an incident), not the caller's?"""
    if isinstance(exc, engine.TaskNotReadyError | PortalError):
        return False
    if isinstance(exc, engine.WorkflowError):
        return True
    # A service task raised: a declared domain error is a refusal the caller shows; anything else fails.
    return getattr(exc, "bpmn_element_id", None) is not None and not isinstance(exc, domain_errors())


def incident(
    exc: BaseException, *, instance: ProcessInstance | None, version: ProcessVersion, action: str
) -> WorkflowIncident:
    element_id = getattr(exc, "element_id", "") or getattr(exc, "bpmn_element_id", "") or ""
    logger.warning(
        "Workflow step %s of instance %s failed at %s",
        action,
        getattr(instance, "pk", None),
        element_id,
        exc_info=exc,
    )
    return WorkflowIncident(
        instance_id=getattr(instance, "pk", None),
        process_version_id=version.pk,
        action=action,
        element_id=element_id,
        error=exc,
        retry=action == "timer",
    )


# --------------------------------------------------------------------------------------------------
# Steps

# STEP_TRANSACTION: a step runs in its caller's transaction when there is one (the request services lock
# the request first) and opens its own otherwise. No savepoint: a failed step fails the whole transaction
# around it (every caller lets the error through), so a savepoint would only cost its two statements.


@records_incidents
@transaction.atomic(savepoint=False)  # see STEP_TRANSACTION
def start_process(*, process_key: str, data: dict) -> tuple[ProcessInstance, StepResult]:
    """Start an instance of the current version of a process and run it to its first wait."""
    version = get_current_version(process_key)
    try:
        result = engine.start_instance(parsed(version), data=data, services=call_service)
    except Exception as exc:
        if is_incident(exc):
            raise incident(exc, instance=None, version=version, action="start") from exc
        raise
    instance = ProcessInstance(process_version=version, serializer_version=engine.SERIALIZER_VERSION)
    _apply_engine_result(instance, result)
    instance.save()
    return instance, step_result(instance, result)


@records_incidents
@transaction.atomic(savepoint=False)  # see STEP_TRANSACTION
def complete_task(
    *,
    instance_id: int,
    task_id: UUID | str | None,
    data: dict,
    lane: str,
    action: str = "complete",
    subject: Any = None,
) -> tuple[ProcessInstance, StepResult]:
    """Complete the instance's ready task in `lane` with data validated against the task's form.

    `subject`: the caller's locked domain object, handed to the service tasks that take it
    (workflows/service_tasks.py), so they need not read it again.
    """
    instance = lock_instance(instance_id)
    refuse_if_suspended(instance)
    process = parsed(instance.process_version)
    state = stored_state(instance)
    # The row names the ready task, so no extra deserialization is needed to find it.
    template = process.user_tasks.get(instance.current_task_name)
    if (
        instance.current_task_id is None
        or template is None
        or template.lane != lane
        or (task_id is not None and str(task_id) != str(instance.current_task_id))
    ):
        raise TaskNotReady()
    validate_form_data(version_form(instance.process_version, template.form_key), data)
    try:
        result = engine.complete_user_task(
            process, state, instance.current_task_id, data, services=partial(call_service, subject=subject)
        )
    except engine.TaskNotReadyError as exc:
        raise TaskNotReady() from exc
    except Exception as exc:
        if is_incident(exc):
            raise incident(exc, instance=instance, version=instance.process_version, action=action) from exc
        raise
    return instance, save_step(instance, result)


@records_incidents
@transaction.atomic
def fire_timers(
    *, instance_id: int, subject: Any = None, now: datetime | None = None
) -> tuple[ProcessInstance, StepResult] | None:
    """Fire the timers of one instance due by `now` (None when nothing is due any more, or it is
    suspended); `subject` as for complete_task."""
    return fire_locked_timers(lock_instance(instance_id), subject=subject, now=now)


def lock_instances(instance_ids: list[int]) -> dict[int, ProcessInstance]:
    """Lock and read the rows of several instances in one query (the timer sweep's batch), by id;
    ids without a row are left out. Versions come from the cache, as in lock_instance."""
    rows = _locked_instance_rows().filter(pk__in=instance_ids).order_by("pk")  # one lock order for all
    return {instance.pk: _with_cached_version(instance) for instance in rows}


def fire_locked_timers(
    instance: ProcessInstance, *, subject: Any = None, now: datetime | None = None
) -> tuple[ProcessInstance, StepResult] | None:
    """fire_timers on an instance the caller locked (lock_instances) in the transaction it holds open.

    `now` is the sweep's one clock (the real one when not given): what it listed as due is what fires.
    No transaction, savepoint or incident recording of its own: a failure leaves the caller's
    transaction to roll back, and the caller records it (backend/requests_app/timers.py).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("fire_locked_timers runs inside the transaction that locked the instance")
    now = now or timezone.now()
    if instance.suspended or instance.next_timer_due is None or instance.next_timer_due > now:
        return None
    process = parsed(instance.process_version)
    try:
        result = engine.fire_due_timers(
            process, stored_state(instance), now=now, services=partial(call_service, subject=subject)
        )
    except Exception as exc:
        # Whatever fails in a timer step is retried with back-off by the sweep, then becomes an incident.
        raise incident(exc, instance=instance, version=instance.process_version, action="timer") from exc
    return instance, save_step(instance, result)


@transaction.atomic(savepoint=False)  # see STEP_TRANSACTION
def cancel_process(
    *, instance_id: int, stage: CancelledStage = CancelledStage.WITHDRAWN
) -> tuple[ProcessInstance, StepResult]:
    """Cancel the running instance; `stage` says by whom (the client's withdrawal by default)."""
    instance = lock_instance(instance_id)
    if instance.status != ProcessInstance.Status.RUNNING:
        raise TaskNotReady()
    result = engine.cancel_instance(parsed(instance.process_version), stored_state(instance), stage=stage)
    return instance, save_step(instance, result)


def waiting_timer_dues(instance: ProcessInstance) -> dict[str, datetime]:
    """When each waiting timer of a running instance falls due, by its element id (the contract names
    them: REMINDER_TIMER, CANCEL_TIMER): read from the stored engine state, so the clocks a version move
    kept are the ones shown, not recomputed from when the wait began. A fired or not started timer is
    not listed."""
    if instance.status != ProcessInstance.Status.RUNNING:
        return {}
    if instance.timer_dues is not None:
        return {element_id: datetime.fromisoformat(due) for element_id, due in instance.timer_dues.items()}
    timers = engine.timer_due_times(parsed(instance.process_version), stored_state(instance))
    return {timer.element_id: timer.due for timer in timers if timer.due is not None}


def _audit_dues(dues: dict[str, datetime]) -> dict[str, str]:
    """A move's audit of due times: element id → ISO time, earliest first."""
    return {
        element_id: due.isoformat() for element_id, due in sorted(dues.items(), key=lambda d: (d[1], d[0]))
    }


@transaction.atomic
def move_instance_to_version(
    *, instance_id: int, to_version: ProcessVersion, by=None, request=None
) -> VersionMove:
    """Move a running instance to another version of its process (audited).

    The clocks are kept: a timer due on day 14 of waiting stays due then (engine.migrate_state re-anchors
    it). The request's history row is the domain's (backend/requests_app/version_moves.py).
    """
    from backend.core.services import record_audit

    instance = lock_instance(instance_id)
    if instance.status != ProcessInstance.Status.RUNNING:
        raise TaskNotReady()
    from_version = instance.process_version
    if to_version.pk == from_version.pk:
        return VersionMove(instance=instance, step=None, detail={})
    state = stored_state(instance)
    old, new = parsed(from_version), parsed(to_version)
    # As the last step saved them (read from the state only for an instance saved before timer_dues
    # existed). Where one element waits twice, the saved time is the earliest (the state's reading
    # kept the latest): the one the sweep fires first.
    timers_before = _audit_dues(waiting_timer_dues(instance))
    try:
        result = engine.migrate_state(old, new, state, services=call_service)
    except engine.WorkflowError as exc:
        message = _("The request cannot move to this version: %(reason)s") % {"reason": exc.message}
        raise PortalValidationError(message, fields={exc.element_id or "version_id": [message]}) from exc
    detail = {
        "process_key": to_version.process_key,
        "from_version": from_version.number,
        "to_version": to_version.number,
        "timers_before": timers_before,
        "timers_after": _audit_dues(result.timer_dues),  # what save_step saves as the instance's timer_dues
    }
    instance.process_version = to_version
    step = save_step(instance, result)
    record_audit(
        action="workflow.migrate_instance", request=request, user=by, instance_id=instance.pk, **detail
    )
    return VersionMove(instance=instance, step=step, detail=detail)


# --------------------------------------------------------------------------------------------------
# Timers


def due_timer_instance_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of running instances whose next timer is due, in the order the sweep fires them (one query).

    Healthy instances go first; instances whose timer step failed come after, once their back-off
    (workflows/incidents.py) has passed, and stop being listed when their incident opens. Suspended
    instances are skipped.
    """
    now = now or timezone.now()
    return list(
        ProcessInstance.objects.filter(status=ProcessInstance.Status.RUNNING, next_timer_due__lte=now)
        .filter(suspended=False)  # suspended by an administrator (workflows/repair.py)
        .filter(
            Q(incident_state=IncidentState.NONE)
            | Q(incident_state=IncidentState.RETRYING, next_retry_at__lte=now)
        )
        .order_by("incident_state", "next_timer_due", "pk")  # "" (healthy) sorts first
        .values_list("pk", flat=True)[:limit]
    )
