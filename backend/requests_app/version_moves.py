"""Moving a request's process instance to another version of its process (analysts; explicit, audited).

Locks the request, moves the instance through the engine facade (which keeps the clocks and writes the
audit row), then writes the request's "migrated" history row and applies the step like every request
action.
"""

from __future__ import annotations

from django.db import transaction

from backend.requests_app import history, lifecycle, outbox
from backend.requests_app.models import PortalRequest
from workflows import services as workflow_services
from workflows.models import ProcessInstance, ProcessVersion


@transaction.atomic
def migrate_instance(
    *, instance_id: int, to_version: ProcessVersion, by=None, request=None
) -> ProcessInstance:
    """Move a running instance to `to_version`; nothing happens when it runs on that version already."""
    locked = PortalRequest.objects.select_for_update().filter(process_instance_id=instance_id).first()
    move = workflow_services.move_instance_to_version(
        instance_id=instance_id, to_version=to_version, by=by, request=request
    )
    if move.step is None or locked is None:
        return move.instance
    history.migrated(locked, actor=by, detail=move.detail)
    changes = lifecycle.apply_step(locked, move.step, instance=move.instance)
    history.stages_changed(locked, changes, actor=by)
    outbox.statuses_changed(locked, changes, waiting_for=move.step.waiting_for, actor=by)
    return move.instance
