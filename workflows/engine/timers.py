"""The waiting timers of an instance: when each falls due, and firing them on a simulated clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from workflows.engine.results import ParsedProcess, StepResult
from workflows.engine.running import _result, _run_engine
from workflows.engine.scripts import ServiceCall
from workflows.engine.serialization import deserialize


def _waiting_timers(workflow: BpmnWorkflow) -> list[tuple[Any, datetime | None]]:
    """The waiting timer events of the instance with their due time (None: not started yet)."""
    found = []
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if not isinstance(definition, TimerEventDefinition):
            continue
        value = task._get_internal_data("event_value")
        try:
            if isinstance(value, dict):  # cycle timers
                due = datetime.fromisoformat(value["next"])
            else:
                due = TimerEventDefinition.get_datetime(value) if value else None
        except (ValueError, KeyError, TypeError):
            due = None
        found.append((task, due))
    return found


def _attached_task(timer_task) -> str:
    """The element id of the task a boundary timer is attached to ("" for other timers)."""
    parent = timer_task.parent
    for sibling in getattr(parent, "children", []):
        if sibling is not timer_task and getattr(sibling.task_spec, "manual", False):
            return sibling.task_spec.bpmn_id or ""
    return ""


@dataclass(frozen=True)
class TimerDue:
    element_id: str  # the timer event
    attached_to: str  # the user task it waits on ("" for intermediate timers)
    due: datetime | None


def timer_due_times(process: ParsedProcess, state: dict) -> list[TimerDue]:
    """The waiting timers of a stored instance and when each falls due, earliest first."""
    workflow = deserialize(process, state)
    timers = [
        TimerDue(t.task_spec.bpmn_id or "", _attached_task(t), due) for t, due in _waiting_timers(workflow)
    ]
    return sorted(
        timers, key=lambda t: (t.due is None, t.due or datetime.max.replace(tzinfo=UTC), t.element_id)
    )


def fire_timers_due_by(
    process: ParsedProcess, state: dict, at: datetime, *, services: ServiceCall | None = None
) -> StepResult:
    """Fire every timer due by `at` as if the clock showed `at` (the test run's frozen clock), then run
    the engine to the next wait. The real clock is not touched."""
    workflow = deserialize(process, state, services=services)
    for task, due in _waiting_timers(workflow):
        if due is not None and due <= at:
            task._set_internal_data(event_fired=True)
    ran: list[str] = []
    workflow.refresh_timers()
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)
