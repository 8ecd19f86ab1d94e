"""Incidents: a workflow step that failed is rolled back and recorded, never answered with a bare 500.

A step fails when the engine cannot go on (a script or condition error, a gateway with no path, the step
budget exceeded) or a service task raises something other than a declared domain error. The service
raises `WorkflowIncident` (a PortalError: the API answers it as JSON, the pages show its message); the
step's transaction rolls back, and the outermost caller records the incident in a transaction of its
own (`records_incidents`), because anything written inside the failed transaction is rolled back too.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from backend.core.exceptions import PortalError
from workflows.models import Incident, IncidentState, ProcessInstance

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

# What the pages show for an instance with an open incident (portal_ui templates translate these msgids;
# their Polish lives in this app's catalogue): staff see the incident, the client only that work goes on.
STAFF_LABEL = gettext_noop("Incident")
STAFF_HINT = gettext_noop(
    "A step of this request's process failed and was rolled back; try the step again or report it to the "
    "administrator."
)
CLIENT_NOTICE = gettext_noop("The request is being handled.")


def max_timer_attempts() -> int:
    return getattr(settings, "WORKFLOW_TIMER_MAX_ATTEMPTS", 5)


def retry_base() -> timedelta:
    return timedelta(seconds=getattr(settings, "WORKFLOW_TIMER_RETRY_BASE_SECONDS", 60))


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after `attempts` failures: base, 2×base, 4×base, ..."""
    return retry_base() * (2 ** max(attempts - 1, 0))


class WorkflowIncident(PortalError):
    """A step failed and was rolled back; the instance gets (or keeps) an incident."""

    code, status = "workflow_incident", 409

    def __init__(
        self,
        *,
        instance_id: int | None,
        process_version_id: int | None,
        action: str,
        element_id: str,
        error: BaseException,
        retry: bool = False,
        reason_id: str = "",
        reason_params: dict | None = None,
    ):
        super().__init__()
        self.instance_id = instance_id
        self.process_version_id = process_version_id
        self.action = action
        self.element_id = element_id or ""
        self.error_class = f"{type(error).__module__}.{type(error).__qualname__}"
        self.error_message = str(error)[:4000]
        self.retry = retry
        # What went wrong for the repair console: a message id (gettext_noop) and its parameters, read
        # in the language of whoever opens it (Incident.reason); the error's own text stays the detail.
        self.reason_id = reason_id
        self.reason_params = reason_params or {}
        self.recorded = False

    def default_message(self) -> str:
        return _(
            "The request is being handled: this step could not be completed and has been passed to our "
            "team. Please try again later."
        )


def _outside_transactions() -> bool:
    """True when no transaction but a test case's own is open (as Django's durable atomic checks)."""
    return not any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def record_incident(incident: WorkflowIncident) -> Incident | None:
    """Record the failure in its own transaction; the instance's incident state follows."""
    now = timezone.now()
    with transaction.atomic():
        instance = None
        if incident.instance_id is not None:
            instance = ProcessInstance.objects.select_for_update().filter(pk=incident.instance_id).first()
        if instance is not None:
            record = (
                Incident.objects.filter(
                    instance=instance, status__in=[Incident.Status.RETRYING, Incident.Status.OPEN]
                )
                .order_by("-pk")
                .first()
            )
        else:
            # A failed start left no instance: count the failures of that version's element instead.
            record = (
                Incident.objects.filter(
                    instance=None,
                    process_version_id=incident.process_version_id,
                    element_id=incident.element_id,
                    error_class=incident.error_class,
                    status=Incident.Status.OPEN,
                )
                .order_by("-pk")
                .first()
            )
        attempts = record.attempts + 1 if record is not None else 1
        status, next_retry_at = Incident.Status.OPEN, None
        if incident.retry and instance is not None and attempts < max_timer_attempts():
            status, next_retry_at = Incident.Status.RETRYING, now + backoff(attempts)
        if record is None:
            record = Incident(
                instance=instance, process_version_id=incident.process_version_id, first_failed_at=now
            )
        record.action = incident.action
        record.element_id = incident.element_id[:255]
        record.error_class = incident.error_class[:255]
        record.message = incident.error_message
        record.reason_id = incident.reason_id
        record.reason_params = incident.reason_params
        record.attempts = attempts
        record.last_failed_at = now
        record.next_retry_at = next_retry_at
        record.status = status
        record.save()
        if instance is not None:
            ProcessInstance.objects.filter(pk=instance.pk).update(
                incident_state=IncidentState.OPEN
                if status == Incident.Status.OPEN
                else IncidentState.RETRYING,
                next_retry_at=next_retry_at,
            )
    incident.recorded = True
    logger.warning(
        "Workflow incident (%s, attempt %s) on instance %s, element %s: %s: %s",
        status,
        attempts,
        incident.instance_id,
        incident.element_id,
        incident.error_class,
        incident.error_message,
    )
    return record


def resolve_incidents(instance_id: int) -> None:
    """The instance stepped successfully: its open or retrying incident is over."""
    Incident.objects.filter(
        instance_id=instance_id, status__in=[Incident.Status.RETRYING, Incident.Status.OPEN]
    ).update(status=Incident.Status.RESOLVED, resolved_at=timezone.now(), next_retry_at=None)


def retry_at_next_sweep(instance_id: int) -> bool:
    """Give an instance with an open incident one more timer attempt (after its cause was fixed)."""
    now = timezone.now()
    with transaction.atomic():
        updated = ProcessInstance.objects.filter(pk=instance_id, incident_state=IncidentState.OPEN).update(
            incident_state=IncidentState.RETRYING, next_retry_at=now
        )
        Incident.objects.filter(instance_id=instance_id, status=Incident.Status.OPEN).update(
            status=Incident.Status.RETRYING, next_retry_at=now
        )
    return bool(updated)


def records_incidents(function: F) -> F:
    """Record a WorkflowIncident once the outermost transaction around the failed step has rolled back.

    Put it outside `transaction.atomic` on every entry point that can run a step; nested calls leave the
    recording to the outermost one.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except WorkflowIncident as exc:
            if not exc.recorded and _outside_transactions():
                try:
                    record_incident(exc)
                except Exception:  # the answer to the user must stay the incident, not a 500
                    logger.exception("Could not record the workflow incident of instance %s", exc.instance_id)
            raise

    return wrapper  # type: ignore[return-value]


def record_quietly(incident: WorkflowIncident) -> None:
    """Record an incident where no one can be answered (the timer sweep): a failure is only logged."""
    try:
        record_incident(incident)
    except Exception:
        logger.exception("Could not record the incident of process instance %s", incident.instance_id)


TIMER_FAILED = gettext_noop(
    "The timer %(element)s is due, but firing it failed outside the process engine (%(error)s); the sweep "
    "tries again with back-off. The technical detail says why."
)


def _due_timer(instance: ProcessInstance | None) -> str:
    """The element id of the instance's earliest due timer: the one the sweep was firing ("" if none)."""
    from workflows import engine
    from workflows.versioning import parsed

    if instance is None:
        return ""
    try:
        now = timezone.now()
        due = engine.timer_due_times(parsed(instance.process_version), instance.state)
        return next((t.element_id for t in due if t.due is not None and t.due <= now), "")
    except Exception:  # the failure being recorded may well be the state's own
        return ""


def record_timer_failure(instance_id: int, error: BaseException) -> None:
    """A timer firing failed outside the engine step (e.g. a lost lock race): count it like a failed
    step, so the instance backs off too, naming the timer that was due."""
    logger.error("Timer sweep failed for process instance %s", instance_id, exc_info=error)
    instance = ProcessInstance.objects.filter(pk=instance_id).select_related("process_version").first()
    element_id = _due_timer(instance)
    record_quietly(
        WorkflowIncident(
            instance_id=instance_id,
            process_version_id=instance.process_version_id if instance is not None else None,
            action="timer",
            element_id=element_id,
            error=error,
            retry=True,
            reason_id=TIMER_FAILED,
            reason_params={"element": element_id or "—", "error": type(error).__name__},
        )
    )
