"""The timer sweep (beat, every minute): fire the due BPMN timers of requests, each in its own step.

The workflows app only lists the due instances (healthy first, failing ones after their back-off); each
firing here locks the request, fires through the engine facade and applies the step like every other
request action. A failure never stops the sweep: it becomes the instance's incident (retried with
back-off, workflows/incidents.py).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from backend.requests_app import history, lifecycle, outbox
from backend.requests_app.models import PortalRequest
from workflows import services as workflow_services
from workflows.incidents import WorkflowIncident, record_quietly, record_timer_failure, records_incidents


@records_incidents
@transaction.atomic
def fire_request_timers(*, instance_id: int) -> bool:
    """Fire the due timers of one instance and apply the step to its request; False when none was due."""
    locked = PortalRequest.objects.select_for_update().filter(process_instance_id=instance_id).first()
    fired = workflow_services.fire_timers(instance_id=instance_id, subject=locked)  # the reminder reads it
    if fired is None:
        return False
    instance, step = fired
    if locked is not None:  # a bare instance (no request around it) has nothing more to apply
        for change in lifecycle.apply_step(locked, step, instance=instance):
            history.stage_changed(locked, change, actor=None)
            outbox.status_changed(locked, change, waiting_for=step.waiting_for)
    return True


def sweep_due_timers(*, now: datetime | None = None, limit: int = 500) -> int:
    """Fire the timers of instances whose next timer is due; return how many fired."""
    fired = 0
    for instance_id in workflow_services.due_timer_instance_ids(now=now, limit=limit):
        try:
            fired += fire_request_timers(instance_id=instance_id)
        except WorkflowIncident as exc:
            if not exc.recorded:
                record_quietly(exc)
        except Exception as exc:
            record_timer_failure(instance_id, exc)
    return fired
