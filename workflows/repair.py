"""The repair console's actions (issue #11, section 5): one service per action, shared by API and page.

Each action locks the instance row, acts, writes a row of the request's history (kind "repaired") and an
audit row with what it was before and after. Engine work goes through workflows/engine.py and the same
save path as every step (`services._save`), so the request's status follows through the step listeners.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.exceptions import PortalError, PortalValidationError, TaskNotReady
from backend.core.services import record_audit
from workflows import engine, services
from workflows.forms import validate_form_data
from workflows.incidents import records_incidents
from workflows.models import Incident, IncidentState, ProcessInstance
from workflows.service_tasks import call_service

CLIENT_SLA = timedelta(days=14)


class RepairRefused(PortalError):
    """The action does not fit the instance's state (e.g. resuming an instance that is not suspended)."""

    code, status = "repair_refused", 409

    def default_message(self) -> str:
        return _("This repair is not possible in the instance's current state.")


# --------------------------------------------------------------------------------------------------
# Before/after, history and audit


def snapshot(instance: ProcessInstance) -> dict[str, Any]:
    return {
        "stage": instance.stage,
        "status": instance.status,
        "suspended": instance.suspended,
        "incident_state": instance.incident_state,
        "task": instance.current_task_name,
    }


def _record(
    instance: ProcessInstance,
    *,
    action: str,
    before: dict,
    by,
    request=None,
    note: str = "",
    **detail: Any,
) -> None:
    """The request's history row and the audit row of one repair (inside the action's transaction)."""
    from backend.requests_app.models import PortalRequest, RequestEvent

    after = snapshot(instance)
    portal_request = PortalRequest.objects.filter(process_instance_id=instance.pk).first()
    if portal_request is not None:
        RequestEvent.objects.create(
            request=portal_request,
            kind=RequestEvent.Kind.REPAIRED,
            author=RequestEvent.Author.STAFF,
            actor=by if getattr(by, "pk", None) else None,
            stage=instance.stage,
            message=note,
            data={"action": action, "before": before, "after": after, **detail},
        )
    record_audit(
        action=f"workflow.repair.{action}",
        request=request,
        user=by,
        instance_id=instance.pk,
        request_id=getattr(portal_request, "pk", None),
        note=note,
        before=before,
        after=after,
        **detail,
    )


def _running(instance: ProcessInstance) -> None:
    if instance.status != ProcessInstance.Status.RUNNING:
        raise RepairRefused(_("The instance is not running any more."))


def _step(instance: ProcessInstance, result: engine.StepResult, *, by, action: str) -> None:
    services._save(instance, result)
    services._notify(instance, result, actor=by, action=action)


def _request_context(instance_id: int):
    """The request stepped now, locked, so the lifecycle listener updates that very row."""
    from contextlib import nullcontext

    from backend.requests_app.lifecycle import stepping
    from backend.requests_app.models import PortalRequest

    portal_request = PortalRequest.objects.select_for_update().filter(process_instance_id=instance_id).first()
    return stepping(portal_request) if portal_request is not None else nullcontext()


# --------------------------------------------------------------------------------------------------
# Actions


@records_incidents
@transaction.atomic
def retry_instance(*, instance_id: int, by, request=None) -> ProcessInstance:
    """Run the instance's pending automatic steps and due timers now (after the cause of a failure was
    fixed); a success resolves its incident, a failure records it again."""
    with _request_context(instance_id):  # the request first, as every request service locks
        instance = services._lock(instance_id)
        _running(instance)
        services.refuse_if_suspended(instance)
        before = snapshot(instance)
        process = services.parsed(instance.process_version)
        try:
            result = engine.run_pending_steps(
                process, services._upgrade_state(instance), services=call_service
            )
        except Exception as exc:
            if services._is_incident(exc):
                raise services._incident(
                    exc, instance=instance, version=instance.process_version, action="retry"
                ) from exc
            raise
        _step(instance, result, by=by, action="retry")
    _record(instance, action="retry", before=before, by=by, request=request, ran=result.ran)
    return instance


@transaction.atomic
def suspend_instance(*, instance_id: int, by, request=None, note: str = "") -> ProcessInstance:
    instance = services._lock(instance_id)
    _running(instance)
    if instance.suspended:
        raise RepairRefused(_("The instance is already suspended."))
    before = snapshot(instance)
    _set_suspended(instance, True)
    _record(instance, action="suspend", before=before, by=by, request=request, note=note)
    return instance


@transaction.atomic
def resume_instance(*, instance_id: int, by, request=None, note: str = "") -> ProcessInstance:
    instance = services._lock(instance_id)
    if not instance.suspended:
        raise RepairRefused(_("The instance is not suspended."))
    before = snapshot(instance)
    _set_suspended(instance, False)
    _record(instance, action="resume", before=before, by=by, request=request, note=note)
    return instance


def _set_suspended(instance: ProcessInstance, suspended: bool) -> None:
    # Bumping the optimistic-lock version makes a step that read the row before this change conflict.
    ProcessInstance.objects.filter(pk=instance.pk).update(
        suspended=suspended, version=instance.version + 1
    )  # updated_at stays: the wait at the stage goes on
    instance.suspended, instance.version = suspended, instance.version + 1


@records_incidents
@transaction.atomic
def edit_task_data(*, instance_id: int, data: dict, by, request=None, note: str = "") -> ProcessInstance:
    """Correct the data of the ready user task, validated against that task's form like a completion."""
    instance = services._lock(instance_id)
    _running(instance)
    if instance.current_task_id is None:
        raise TaskNotReady()
    process = services.parsed(instance.process_version)
    template = process.user_tasks.get(instance.current_task_name)
    if template is None:
        raise TaskNotReady()
    validate_form_data(instance.process_version.forms.get(template.form_key, {}), data)
    state = services._upgrade_state(instance)
    old_data = engine.ready_task_data(process, state).get(instance.current_task_name, {})
    changed = sorted(key for key, value in data.items() if old_data.get(key) != value)
    if not changed:
        raise PortalValidationError(_("Nothing to change: the data is the same."))
    before = snapshot(instance)
    try:
        result = engine.update_ready_task_data(process, state, instance.current_task_id, data)
    except engine.TaskNotReadyError as exc:
        raise TaskNotReady() from exc
    services._save(instance, result)
    _record(
        instance,
        action="edit_data",
        before=before,
        by=by,
        request=request,
        note=note,
        changed_keys=changed,
        data_before={key: old_data.get(key) for key in changed},
        data_after={key: data[key] for key in changed},
    )
    return instance


@records_incidents
@transaction.atomic
def move_token(*, instance_id: int, task_spec_name: str, by, request=None, note: str = "") -> ProcessInstance:
    """Move the token back to a user task the instance already reached (SpiffWorkflow's reset-to-task)."""
    with _request_context(instance_id):
        instance = services._lock(instance_id)
        _running(instance)
        services.refuse_if_suspended(instance)
        before = snapshot(instance)
        process = services.parsed(instance.process_version)
        try:
            result = engine.reset_to_task(
                process, services._upgrade_state(instance), task_spec_name, services=call_service
            )
        except engine.WorkflowError as exc:
            if exc.element_id == task_spec_name and not isinstance(exc, engine.StepBudgetExceeded):
                raise PortalValidationError(str(exc), fields={"task": [str(exc)]}) from exc
            raise services._incident(
                exc, instance=instance, version=instance.process_version, action="move_token"
            ) from exc
        _step(instance, result, by=by, action="move_token")
    _record(instance, action="move_token", before=before, by=by, request=request, note=note)
    return instance


@transaction.atomic
def cancel_instance(*, instance_id: int, reason: str, by, request=None) -> ProcessInstance:
    """Cancel with a reason through the same path as a withdrawal, so the request's status follows."""
    if not reason.strip():
        message = _("Give the reason for the cancellation.")
        raise PortalValidationError(message, fields={"reason": [message]})
    with _request_context(instance_id):
        instance = services._lock(instance_id)
        _running(instance)
        before = snapshot(instance)
        instance, _result = services.cancel_process(instance_id=instance.pk, actor=by)
    _record(instance, action="cancel", before=before, by=by, request=request, note=reason)
    return instance


@transaction.atomic
def resolve_incident(*, incident_id: int, note: str, by, request=None) -> Incident:
    """Close an incident by hand (its cause is dealt with outside the process); the note says how."""
    if not note.strip():
        message = _("Say how the incident was resolved.")
        raise PortalValidationError(message, fields={"note": [message]})
    # The instance row first, then the incident: the order record_incident locks them in.
    instance_id = Incident.objects.filter(pk=incident_id).values_list("instance_id", flat=True).get()
    instance = services._lock(instance_id) if instance_id else None
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    if incident.status == Incident.Status.RESOLVED:
        raise RepairRefused(_("The incident is already resolved."))
    before = snapshot(instance) if instance is not None else {}
    incident.status = Incident.Status.RESOLVED
    incident.resolved_at = timezone.now()
    incident.next_retry_at = None
    incident.resolution_note = note
    incident.save(update_fields=["status", "resolved_at", "next_retry_at", "resolution_note"])
    if instance is not None:
        others = instance.incidents.exclude(pk=incident.pk).exclude(status=Incident.Status.RESOLVED).exists()
        if not others:
            ProcessInstance.objects.filter(pk=instance.pk).update(
                incident_state=IncidentState.NONE, next_retry_at=None
            )
            instance.incident_state, instance.next_retry_at = IncidentState.NONE, None
        _record(
            instance,
            action="resolve_incident",
            before=before,
            by=by,
            request=request,
            note=note,
            incident_id=incident.pk,
        )
    else:
        record_audit(
            action="workflow.repair.resolve_incident",
            request=request,
            user=by,
            incident_id=incident.pk,
            note=note,
            before={"status": "open"},
            after={"status": incident.status},
        )
    return incident


# --------------------------------------------------------------------------------------------------
# Reads of the console


def open_incidents():
    return (
        Incident.objects.exclude(status=Incident.Status.RESOLVED)
        .select_related("instance__portal_request", "process_version")
        .order_by("-last_failed_at", "-pk")
    )


def sla_for(waiting_for: str) -> timedelta | None:
    from backend.requests_app.lifecycle import staff_sla

    if waiting_for == ProcessInstance.WaitingFor.STAFF:
        return staff_sla()
    if waiting_for == ProcessInstance.WaitingFor.CLIENT:
        return CLIENT_SLA
    return None


def overdue_instances(*, now=None) -> list[ProcessInstance]:
    """Running instances waiting at their stage longer than its SLA (staff: the staff SLA, client: 14 days).

    The wait starts at the instance's last step (`updated_at`), as every step saves the row.
    """
    now = now or timezone.now()
    found: list[ProcessInstance] = []
    for waiting_for in (ProcessInstance.WaitingFor.STAFF, ProcessInstance.WaitingFor.CLIENT):
        sla = sla_for(waiting_for)
        rows = (
            ProcessInstance.objects.filter(
                status=ProcessInstance.Status.RUNNING, waiting_for=waiting_for, updated_at__lt=now - sla
            )
            .select_related("process_version", "portal_request")
            .order_by("updated_at", "pk")
        )
        for instance in rows:
            instance.sla_days = sla.days
            instance.waiting_days = (now - instance.updated_at).days
            found.append(instance)
    return found


def instance_counts() -> list[dict]:
    """Running instances counted per request type (process), version and stage."""
    return list(
        ProcessInstance.objects.filter(status=ProcessInstance.Status.RUNNING)
        .values("process_version__process_key", "process_version__number", "stage")
        .annotate(count=Count("pk"))
        .order_by("process_version__process_key", "process_version__number", "stage")
    )
