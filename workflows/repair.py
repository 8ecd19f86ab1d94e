"""The repair console's instance actions (issue #11, section 5): retry, suspend / resume, edit task data,
move the token, cancel, resolve an incident; and the console's reads.

Each action locks the instance row, acts through workflows/engine/ and the same save path as every step
(`steps.save_step`), and returns a `Repair`: the instance, its snapshot before, the step it ran (if any).
The request's history row, its status and the audit row are the domain's
(backend/requests_app/repair_steps.py, which the /ops/ pages and /api/ops/ call).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.exceptions import PortalError, PortalValidationError, TaskNotReady
from workflows import engine, steps
from workflows.contract import CancelledStage
from workflows.forms import validate_form_data, version_form
from workflows.incidents import records_incidents
from workflows.models import Incident, IncidentState, ProcessInstance
from workflows.service_tasks import call_service
from workflows.versioning import parsed

CLIENT_SLA = timedelta(days=14)


class RepairRefused(PortalError):
    """The action does not fit the instance's state (e.g. resuming an instance that is not suspended)."""

    code, status = "repair_refused", 409

    def default_message(self) -> str:
        return _("This repair is not possible in the instance's current state.")


def snapshot(instance: ProcessInstance) -> dict[str, Any]:
    return {
        "stage": instance.stage,
        "status": instance.status,
        "suspended": instance.suspended,
        "incident_state": instance.incident_state,
        "task": instance.current_task_name,
    }


@dataclass
class Repair:
    """One repair done on a locked instance, for the domain to record (history, audit)."""

    instance: ProcessInstance
    action: str
    before: dict[str, Any]
    step: steps.StepResult | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def after(self) -> dict[str, Any]:
        return snapshot(self.instance)


def _running(instance: ProcessInstance) -> None:
    if instance.status != ProcessInstance.Status.RUNNING:
        raise RepairRefused(_("The instance is not running any more."))


# --------------------------------------------------------------------------------------------------
# Actions


@records_incidents
@transaction.atomic
def retry_instance(*, instance_id: int) -> Repair:
    """Run the instance's pending automatic steps and due timers now (after the cause of a failure was
    fixed); a success resolves its incident, a failure records it again."""
    instance = steps.lock_instance(instance_id)
    _running(instance)
    steps.refuse_if_suspended(instance)
    before = snapshot(instance)
    process = parsed(instance.process_version)
    try:
        result = engine.run_pending_steps(process, steps.stored_state(instance), services=call_service)
    except Exception as exc:
        if steps.is_incident(exc):
            raise steps.incident(
                exc, instance=instance, version=instance.process_version, action="retry"
            ) from exc
        raise
    step = steps.save_step(instance, result)
    return Repair(instance, "retry", before, step, detail={"ran": list(result.ran)})


# As a cancellation's or a second-factor reset's: a sentence a colleague can act on, not "x".
SUSPEND_REASON_MIN_LENGTH = 10


@transaction.atomic
def suspend_instance(*, instance_id: int, reason: str, by=None) -> Repair:
    """Stop every step of the instance until it is resumed; who, when and why stay on the instance."""
    reason = reason.strip()
    if len(reason) < SUSPEND_REASON_MIN_LENGTH:
        message = _("Give the reason for the suspension (at least %(count)d characters).") % {
            "count": SUSPEND_REASON_MIN_LENGTH
        }
        raise PortalValidationError(message, fields={"note": [message]})
    instance = steps.lock_instance(instance_id)
    _running(instance)
    if instance.suspended:
        raise RepairRefused(_("The instance is already suspended."))
    before = snapshot(instance)
    _set_suspended(instance, True, by=by, reason=reason)
    return Repair(instance, "suspend", before)


@transaction.atomic
def resume_instance(*, instance_id: int) -> Repair:
    instance = steps.lock_instance(instance_id)
    if not instance.suspended:
        raise RepairRefused(_("The instance is not suspended."))
    before = snapshot(instance)
    _set_suspended(instance, False)
    return Repair(instance, "resume", before)


def _set_suspended(instance: ProcessInstance, suspended: bool, *, by=None, reason: str = "") -> None:
    changes = {
        "suspended": suspended,
        "suspended_at": timezone.now() if suspended else None,
        "suspended_by": by if suspended and getattr(by, "pk", None) else None,
        "suspend_reason": reason if suspended else "",
        # Bumping the optimistic-lock version makes a step that read the row before this change conflict.
        "version": instance.version + 1,
    }
    ProcessInstance.objects.filter(pk=instance.pk).update(**changes)  # updated_at stays: the wait goes on
    for name, value in changes.items():
        setattr(instance, name, value)


@records_incidents
@transaction.atomic
def edit_task_data(*, instance_id: int, data: dict) -> Repair:
    """Correct the data of the ready user task, validated against that task's form like a completion.

    The instance's stage does not change, so the step it saves needs no applying by the domain."""
    instance = steps.lock_instance(instance_id)
    _running(instance)
    if instance.current_task_id is None:
        raise TaskNotReady()
    process = parsed(instance.process_version)
    template = process.user_tasks.get(instance.current_task_name)
    if template is None:
        raise TaskNotReady()
    validate_form_data(version_form(instance.process_version, template.form_key), data)
    state = steps.stored_state(instance)
    old_data = engine.ready_task_data(process, state).get(instance.current_task_name, {})
    changed = sorted(key for key, value in data.items() if old_data.get(key) != value)
    if not changed:
        raise PortalValidationError(_("Nothing to change: the data is the same."))
    before = snapshot(instance)
    try:
        result = engine.update_ready_task_data(process, state, instance.current_task_id, data)
    except engine.TaskNotReadyError as exc:
        raise TaskNotReady() from exc
    steps.save_step(instance, result)
    detail = {
        "changed_keys": changed,
        "data_before": {key: old_data.get(key) for key in changed},
        "data_after": {key: data[key] for key in changed},
    }
    return Repair(instance, "edit_data", before, detail=detail)


@records_incidents
@transaction.atomic
def move_token(*, instance_id: int, task_spec_name: str) -> Repair:
    """Move the token back to a user task the instance already reached (SpiffWorkflow's reset-to-task)."""
    instance = steps.lock_instance(instance_id)
    _running(instance)
    steps.refuse_if_suspended(instance)
    before = snapshot(instance)
    process = parsed(instance.process_version)
    try:
        result = engine.reset_to_task(
            process, steps.stored_state(instance), task_spec_name, services=call_service
        )
    except engine.WorkflowError as exc:
        if exc.element_id == task_spec_name and not isinstance(exc, engine.StepBudgetExceeded):
            raise PortalValidationError(str(exc), fields={"task": [str(exc)]}) from exc
        raise steps.incident(
            exc, instance=instance, version=instance.process_version, action="move_token"
        ) from exc
    return Repair(instance, "move_token", before, steps.save_step(instance, result))


@transaction.atomic
def cancel_instance(*, instance_id: int, reason: str) -> Repair:
    """Cancel with a reason, as the lessor: the stage says so (never "withdrawn by the client")."""
    if not reason.strip():
        message = _("Give the reason for the cancellation.")
        raise PortalValidationError(message, fields={"reason": [message]})
    instance = steps.lock_instance(instance_id)
    _running(instance)
    before = snapshot(instance)
    instance, step = steps.cancel_process(instance_id=instance.pk, stage=CancelledStage.BY_LESSOR)
    return Repair(instance, "cancel", before, step)


def instance_of_incident(incident_id: int) -> int | None:
    return Incident.objects.filter(pk=incident_id).values_list("instance_id", flat=True).get()


@transaction.atomic
def resolve_incident(*, incident_id: int, note: str) -> tuple[Incident, Repair | None]:
    """Close an incident by hand (its cause is dealt with outside the process); the note says how.

    Returns the incident and, when it belongs to an instance, the repair of that instance."""
    if not note.strip():
        message = _("Say how the incident was resolved.")
        raise PortalValidationError(message, fields={"note": [message]})
    # The instance row first, then the incident: the order record_incident locks them in.
    instance_id = instance_of_incident(incident_id)
    instance = steps.lock_instance(instance_id) if instance_id else None
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    if incident.status == Incident.Status.RESOLVED:
        raise RepairRefused(_("The incident is already resolved."))
    before = snapshot(instance) if instance is not None else {}
    incident.status = Incident.Status.RESOLVED
    incident.resolved_at = timezone.now()
    incident.next_retry_at = None
    incident.resolution_note = note
    incident.save(update_fields=["status", "resolved_at", "next_retry_at", "resolution_note"])
    if instance is None:
        return incident, None
    others = instance.incidents.exclude(pk=incident.pk).exclude(status=Incident.Status.RESOLVED).exists()
    if not others:
        ProcessInstance.objects.filter(pk=instance.pk).update(
            incident_state=IncidentState.NONE, next_retry_at=None
        )
        instance.incident_state, instance.next_retry_at = IncidentState.NONE, None
    return incident, Repair(instance, "resolve_incident", before, detail={"incident_id": incident.pk})


# --------------------------------------------------------------------------------------------------
# Reads of the console


def open_incidents():
    return (
        Incident.objects.exclude(status=Incident.Status.RESOLVED)
        .select_related("instance__portal_request", "process_version")
        .order_by("-last_failed_at", "-pk")
    )


def overdue_instances(*, staff_sla_days: int, staff_due_field: str, now=None) -> list[ProcessInstance]:
    """Running instances waiting at their stage longer than its SLA: for staff, past the due time the
    domain stored when the instance reached them (`staff_due_field`, a lookup from the instance, counted
    in working days there); for the client, 14 calendar days since the last step (`updated_at`, as every
    step saves the row). `sla_days` and `waiting_days` (calendar days) say how long, for the console."""
    now = now or timezone.now()
    found: list[ProcessInstance] = []
    waits = [
        (ProcessInstance.WaitingFor.STAFF, staff_sla_days, {f"{staff_due_field}__lt": now}),
        (ProcessInstance.WaitingFor.CLIENT, CLIENT_SLA.days, {"updated_at__lt": now - CLIENT_SLA}),
    ]
    for waiting_for, sla_days, past_due in waits:
        rows = (
            ProcessInstance.objects.filter(
                status=ProcessInstance.Status.RUNNING, waiting_for=waiting_for, **past_due
            )
            .select_related("process_version", "portal_request")
            .order_by("updated_at", "pk")
        )
        for instance in rows:
            instance.sla_days = sla_days
            instance.waiting_days = (now - instance.updated_at).days
            found.append(instance)
    return found


def instance_counts() -> list[dict]:
    """Running instances counted per request type (process), version and stage."""
    return list(
        ProcessInstance.objects.filter(status=ProcessInstance.Status.RUNNING)
        .values("process_version__process_key", "process_version__number", "process_version_id", "stage")
        .annotate(count=Count("pk"))
        .order_by("process_version__process_key", "process_version__number", "stage")
    )


def suspended_instances():
    """The instances an administrator suspended, longest suspended first, with who did it."""
    return (
        ProcessInstance.objects.filter(status=ProcessInstance.Status.RUNNING, suspended=True)
        .select_related("process_version", "portal_request", "suspended_by")
        .order_by("suspended_at", "pk")
    )


def running_instances(*, version_id: int, stage: str):
    """The running instances behind one count of `instance_counts`, longest at their stage first."""
    return (
        ProcessInstance.objects.filter(
            status=ProcessInstance.Status.RUNNING, process_version_id=version_id, stage=stage
        )
        .select_related("process_version", "portal_request__client")
        .order_by("updated_at", "pk")
    )
