"""The waiting timers of an instance: when each falls due, and firing them on the real or a given clock.

A repeating (cycle) timer fires ONCE per call, however many of its occurrences have passed: a sweep that
comes late (beat was down) reminds the client once, not once per missed week. The missed occurrences are
consumed (they count toward its R-count) and the cycle goes on from its next occurrence after the clock.
SpiffWorkflow would instead catch up one occurrence per engine pass, all in the same second. The service
tasks of the fired branch are told which due times the firing stands for (scripts.TIMER_DUES_KEY), so the
one reminder can say it stands for the missed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from workflows.engine.results import ParsedProcess, StepResult
from workflows.engine.running import _result, _run_engine, waiting_timers
from workflows.engine.scripts import ServiceCall
from workflows.engine.serialization import deserialize


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
        TimerDue(t.task_spec.bpmn_id or "", _attached_task(t), due) for t, due in waiting_timers(workflow)
    ]
    return sorted(
        timers, key=lambda t: (t.due is None, t.due or datetime.max.replace(tzinfo=UTC), t.element_id)
    )


def _fire_cycle_once(task, at: datetime) -> list[datetime]:
    """Fire a cycle timer once if an occurrence is due by `at`, consuming every occurrence due by then;
    return the occurrences consumed ([] when none is due or no repetition is left). The branch is started
    as SpiffWorkflow's own CycleTimerEventDefinition.update_task starts it, but on the given clock."""
    value = dict(task._get_internal_data("event_value") or {})
    try:
        due, step = datetime.fromisoformat(value["next"]), timedelta(seconds=value["duration"])
    except (KeyError, TypeError, ValueError):
        return []
    if value.get("cycles") == 0 or due > at:
        return []
    passed = 1 + int((at - due) / step) if step > timedelta(0) else 1
    if value["cycles"] > 0:  # -1: unbounded (R/…)
        passed = min(passed, value["cycles"])
        value["cycles"] -= passed
    value["next"] = (due + passed * step).isoformat()
    task._set_internal_data(event_value=value)
    for output in task.task_spec.outputs:
        child = task._add_child(output, TaskState.FUTURE)
        child.task_spec._predict(child, mask=TaskState.NOT_FINISHED_MASK)
        child.task_spec._update(child)
    return [due + index * step for index in range(passed)]


def fire_timers_due_by(
    process: ParsedProcess, state: dict, at: datetime, *, services: ServiceCall | None = None
) -> StepResult:
    """Fire every timer due by `at` as if the clock showed `at` (the sweep's now, the test run's frozen
    clock), then run the engine to the next wait. The real clock is not touched."""
    # SpiffWorkflow also fires by the real clock: a clock behind it cannot hold a timer back, and a cycle
    # must consume what the engine would fire, or it would fire twice.
    at = max(at, datetime.now(UTC))
    workflow = deserialize(process, state, services=services)
    ran: list[str] = []
    fired: dict = {}  # timer task id → the due times its firing stands for
    for task, due in waiting_timers(workflow):
        if isinstance(task.task_spec.event_definition, CycleTimerEventDefinition):
            if occurrences := _fire_cycle_once(task, at):
                ran.append(task.task_spec.bpmn_id or "")  # it stays waiting: only its branch runs
                fired[task.id] = occurrences
        elif due is not None and due <= at:
            task._set_internal_data(event_fired=True)
            fired[task.id] = [due]
    workflow.script_engine.fired_timer_dues = {
        task_id: [due.isoformat() for due in dues] for task_id, dues in fired.items()
    }
    workflow.refresh_timers()
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


def fire_due_timers(
    process: ParsedProcess, state: dict, *, now: datetime | None = None, services: ServiceCall | None = None
) -> StepResult:
    """Fire every timer due by `now` (the real clock when not given) and run the engine to the next wait."""
    return fire_timers_due_by(process, state, now or datetime.now(UTC), services=services)
