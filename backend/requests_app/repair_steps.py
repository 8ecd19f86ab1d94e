"""The repair console's actions on a request's process (/ops/ pages and /api/ops/ call these).

Each action reads top to bottom: lock the request of the instance (as every request action does, the
request before the instance), run the instance repair (workflows/repair.py), apply a step it ran to the
request (status, history, outbox), then write the request's "repaired" history row (staff only) and the
audit row with the instance before and after.
"""

from __future__ import annotations

from django.db import transaction

from backend.core.services import record_audit
from backend.requests_app import history, lifecycle, outbox
from backend.requests_app.buyout_effects import release_quote_of_ended_request
from backend.requests_app.models import PortalRequest
from workflows import repair
from workflows.incidents import records_incidents
from workflows.models import Incident, ProcessInstance

# The console's reads (the staff SLA is the requests' setting).
open_incidents = repair.open_incidents
instance_counts = repair.instance_counts
running_instances = repair.running_instances
suspended_instances = repair.suspended_instances


def overdue_instances(*, now=None) -> list[ProcessInstance]:
    """Staff's waits are overdue past the request's stored due time (working days, lifecycle.staff_due_at),
    never computed again here."""
    return repair.overdue_instances(
        staff_sla_days=lifecycle.staff_sla_working_days(),
        staff_due_field="portal_request__staff_due_at",
        now=now,
    )


def _lock_request_of(instance_id: int | None) -> PortalRequest | None:
    if instance_id is None:
        return None
    return PortalRequest.objects.select_for_update().filter(process_instance_id=instance_id).first()


def _apply(
    portal_request: PortalRequest | None, done: repair.Repair, *, by, also: frozenset[str] = frozenset()
) -> None:
    """Apply the step the repair ran (if any) to the request, as every request action does (`also`: fields
    the action set on the locked request, written in the same UPDATE)."""
    if portal_request is None or done.step is None:
        return
    changes = lifecycle.apply_step(portal_request, done.step, instance=done.instance, also=also)
    history.stages_changed(portal_request, changes, actor=by)
    outbox.statuses_changed(portal_request, changes, waiting_for=done.step.waiting_for, actor=by)


def _record(
    portal_request: PortalRequest | None, done: repair.Repair, *, by, request, note: str = ""
) -> None:
    """The request's history row and the audit row of one repair."""
    after = done.after
    if portal_request is not None:
        history.repaired(
            portal_request,
            actor=by,
            stage=done.instance.stage,
            note=note,
            data={"action": done.action, "before": done.before, "after": after, **done.detail},
        )
    record_audit(
        action=f"workflow.repair.{done.action}",
        request=request,
        user=by,
        # The request's number is the entry's subject: the audit log's "concerns" column and its search.
        username=getattr(portal_request, "number", ""),
        instance_id=done.instance.pk,
        request_id=getattr(portal_request, "pk", None),
        note=note,
        before=done.before,
        after=after,
        **done.detail,
    )


@records_incidents
@transaction.atomic
def retry_instance(*, instance_id: int, by, request=None) -> ProcessInstance:
    """Run the pending automatic steps and due timers now; a success resolves the incident."""
    locked = _lock_request_of(instance_id)
    done = repair.retry_instance(instance_id=instance_id)
    _apply(locked, done, by=by)
    _record(locked, done, by=by, request=request)
    return done.instance


@transaction.atomic
def suspend_instance(*, instance_id: int, by, request=None, note: str = "") -> ProcessInstance:
    """Suspend with a reason (`note`, at least 10 characters): the staff task page shows it."""
    locked = _lock_request_of(instance_id)
    done = repair.suspend_instance(instance_id=instance_id, reason=note, by=by)
    _record(locked, done, by=by, request=request, note=note)
    return done.instance


@transaction.atomic
def resume_instance(*, instance_id: int, by, request=None, note: str = "") -> ProcessInstance:
    locked = _lock_request_of(instance_id)
    done = repair.resume_instance(instance_id=instance_id)
    _record(locked, done, by=by, request=request, note=note)
    return done.instance


@records_incidents
@transaction.atomic
def edit_task_data(*, instance_id: int, data: dict, by, request=None, note: str = "") -> ProcessInstance:
    """Correct the ready task's data (checked against its form); the stage stays, so nothing to apply."""
    locked = _lock_request_of(instance_id)
    done = repair.edit_task_data(instance_id=instance_id, data=data)
    _record(locked, done, by=by, request=request, note=note)
    return done.instance


@records_incidents
@transaction.atomic
def move_token(*, instance_id: int, task_spec_name: str, by, request=None, note: str = "") -> ProcessInstance:
    """Move the token back to a user task the instance already reached; the request's status follows."""
    locked = _lock_request_of(instance_id)
    done = repair.move_token(instance_id=instance_id, task_spec_name=task_spec_name)
    _apply(locked, done, by=by)
    _record(locked, done, by=by, request=request, note=note)
    return done.instance


@transaction.atomic
def cancel_instance(*, instance_id: int, reason: str, by, request=None) -> ProcessInstance:
    """Cancel as the lessor, with a reason: the stage reads "cancelled by the lessor" (not the client's
    withdrawal) and the reason is the request's, which the client reads on its page and in the API
    (`decision_reason`); the stage change reaches the client as every one does (notice, e-mail)."""
    locked = _lock_request_of(instance_id)
    done = repair.cancel_instance(instance_id=instance_id, reason=reason)
    also: frozenset[str] = frozenset()
    if locked is not None:
        release_quote_of_ended_request(locked)  # a cancelled buyout request frees its quote at once
        locked.decision_reason, also = reason.strip(), frozenset({"decision_reason"})
    _apply(locked, done, by=by, also=also)
    _record(locked, done, by=by, request=request, note=reason)
    return done.instance


@transaction.atomic
def resolve_incident(*, incident_id: int, note: str, by, request=None) -> Incident:
    """Close an incident by hand (its cause is dealt with outside the process); the note says how."""
    locked = _lock_request_of(repair.instance_of_incident(incident_id))
    incident, done = repair.resolve_incident(incident_id=incident_id, note=note)
    if done is not None:
        _record(locked, done, by=by, request=request, note=note)
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
