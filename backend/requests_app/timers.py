"""The timer sweep (beat, every minute): fire the due BPMN timers of requests, a batch per transaction.

The workflows app only lists the due instances (healthy first, failing ones after their back-off); each
firing here locks the request, fires through the engine facade and applies the step like every other
request action. A failure never stops the sweep: it becomes the instance's incident (retried with
back-off, workflows/incidents.py).

The sweep fires up to `BATCH_SIZE` instances in one transaction: their requests and instances are locked
with one query each (requests first, as every request action does, both in id order), and one commit
ends them all. A commit and two locked reads per instance were half the cost of a reminder (bench/
bench_timers.py). The batch is small and bounded by count, so its locks (the SQLite write lock, the
PostgreSQL row locks) are held for tens of milliseconds, as a user's step holds them.

A batch is all or nothing: when one of its instances fails, the whole transaction rolls back (so no
row and no outbox id of the failed step survives, exactly as when it ran alone), the failure is recorded
as that instance's incident, and the batch is fired again without it. That redoes at most
`BATCH_SIZE - 1` steps per failure. A batch that fails outside its instances' steps (its locks, its
commit) is fired one instance at a time, each in its own transaction, as before batching.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend.requests_app import history, lifecycle, outbox
from backend.requests_app.models import PortalRequest
from workflows import services as workflow_services
from workflows.incidents import WorkflowIncident, record_quietly, record_timer_failure, records_incidents
from workflows.models import ProcessInstance

logger = logging.getLogger(__name__)

BATCH_SIZE = 20


@records_incidents
@transaction.atomic
def fire_request_timers(*, instance_id: int, now: datetime | None = None) -> bool:
    """Fire the timers of one instance due by `now` (the real clock when not given) and apply the step to
    its request; False when none was due."""
    locked = PortalRequest.objects.select_for_update().filter(process_instance_id=instance_id).first()
    return _fire(workflow_services.lock_instance(instance_id), locked, now)


def _fire(instance, locked: PortalRequest | None, now: datetime | None) -> bool:
    """Fire the locked instance's due timers and apply the step to its locked request (if it has one)."""
    if locked is not None:
        # The reminder reads the request and its instance's due times (client_waits.wait_end_has_come):
        # the locked instance, not a second read.
        locked.process_instance = instance
    fired = workflow_services.fire_locked_timers(instance, subject=locked, now=now)  # the reminder reads it
    if fired is None:
        return False
    instance, step = fired
    if locked is not None:  # a bare instance (no request around it) has nothing more to apply
        changes = lifecycle.apply_step(locked, step, instance=instance, action="timer")
        history.stages_changed(locked, changes, actor=None)
        outbox.statuses_changed(locked, changes, waiting_for=step.waiting_for, actor=None)
    return True


class _InstanceFailed(Exception):
    """One instance's step failed inside a batch: the batch rolls back and goes on without it."""

    def __init__(self, instance_id: int, error: Exception):
        super().__init__(instance_id, error)
        self.instance_id, self.error = instance_id, error


def _fire_together(instance_ids: list[int], now: datetime) -> int:
    """Fire the instances in one transaction (all or nothing); return how many fired."""
    fired = 0
    with transaction.atomic():
        requests = {
            row.process_instance_id: row
            for row in PortalRequest.objects.select_for_update()
            .filter(process_instance_id__in=instance_ids)
            .order_by("pk")
        }
        instances = workflow_services.lock_instances(instance_ids)
        for instance_id in instance_ids:
            try:
                instance = instances.get(instance_id)
                if instance is None:  # gone since it was listed: what locking it alone raises
                    raise ProcessInstance.DoesNotExist(f"instance {instance_id}")
                fired += _fire(instance, requests.get(instance_id), now)
            except Exception as exc:
                raise _InstanceFailed(instance_id, exc) from exc
    return fired


def _record_failure(instance_id: int, error: Exception) -> None:
    """Record a failed firing once its transaction has rolled back, as a lone instance's is."""
    if isinstance(error, WorkflowIncident):
        if not error.recorded:
            record_quietly(error)
    else:
        record_timer_failure(instance_id, error)


def _fire_alone(instance_id: int, now: datetime) -> int:
    try:
        return int(fire_request_timers(instance_id=instance_id, now=now))
    except Exception as exc:
        _record_failure(instance_id, exc)
        return 0


def _fire_batch(instance_ids: list[int], now: datetime) -> int:
    pending = list(instance_ids)
    while pending:
        try:
            return _fire_together(pending, now)
        except _InstanceFailed as failed:
            _record_failure(failed.instance_id, failed.error)
            pending.remove(failed.instance_id)
        except Exception:
            logger.warning(
                "Timer batch failed; firing its %s instances one by one", len(pending), exc_info=True
            )
            return sum(_fire_alone(instance_id, now) for instance_id in pending)
    return 0


def sweep_due_timers(*, now: datetime | None = None, limit: int = 500, batch_size: int = BATCH_SIZE) -> int:
    """Fire the timers of instances whose next timer is due by `now` (the real clock when not given);
    return how many fired. One clock for the whole sweep: what it lists as due is what it fires."""
    now = now or timezone.now()
    due = workflow_services.due_timer_instance_ids(now=now, limit=limit)
    return sum(_fire_batch(due[start : start + batch_size], now) for start in range(0, len(due), batch_size))
