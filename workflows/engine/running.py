"""Running an instance: start it, complete a user task, cancel, describe a stored state (timers: timers.py).

Every call runs the engine to the next wait (at most STEP_BUDGET automatic steps) and returns a StepResult.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.dmn.specs.business_rule_task_mixin import BusinessRuleTaskMixin
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from workflows.engine.errors import StepBudgetExceeded, TaskNotReadyError, UnsafeScriptError, WorkflowError
from workflows.engine.results import ParsedProcess, StepResult, UserTask
from workflows.engine.scripts import PortalScriptEngine, ServiceCall
from workflows.engine.serialization import deserialize, serialize

WAITING_FOR_BY_LANE = {"Client": "client", "Staff": "staff"}
# Automatic steps (gateways, scripts, service tasks, events) one call may run before it is stopped.
STEP_BUDGET = 200


def _user_task(process: ParsedProcess, task) -> UserTask:
    template = process.user_tasks.get(task.task_spec.bpmn_id)
    if template is None:
        return UserTask(
            task.id,
            task.task_spec.bpmn_id,
            task.task_spec.lane or "",
            "",
            task.task_spec.bpmn_id,
            task.task_spec.bpmn_id,
        )
    return UserTask(
        task.id, template.name, template.lane, template.form_key, template.title_pl, template.title_en
    )


def _ready_manual_tasks(workflow: BpmnWorkflow) -> list:
    """The user tasks in READY state, in the engine's tree order (the first one names the stage).

    The engine's iterator walks the whole task tree through filters for each call; a flat instance
    (no subprocess) with at most one ready user task, the usual wait, is found by one scan of its tasks.
    """
    if not workflow.subprocesses:
        ready = [t for t in workflow.tasks.values() if t.state == TaskState.READY and t.task_spec.manual]
        if len(ready) <= 1:
            return ready
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def _ready_tasks(process: ParsedProcess, workflow: BpmnWorkflow, lane: str | None = None) -> list[UserTask]:
    found = [_user_task(process, t) for t in _ready_manual_tasks(workflow)]
    return [t for t in found if lane is None or t.lane == lane]


def waiting_timers(workflow: BpmnWorkflow) -> list[tuple[Any, datetime | None]]:
    """The waiting timer events of the instance with their due time (None: not started yet): the step's
    saved due times (StepResult.timer_dues), the sweep's firing and a version move read the same list."""
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


def _timer_dues(workflow: BpmnWorkflow) -> dict[str, datetime]:
    """Each waiting timer's due time by its element id (the earliest where one waits twice)."""
    dues: dict[str, datetime] = {}
    for task, due in waiting_timers(workflow):
        element_id = task.task_spec.bpmn_id or ""
        if due is not None and (element_id not in dues or due < dues[element_id]):
            dues[element_id] = due
    return dues


def _path_start(task) -> str:
    """The timer or user task whose path reached `task`: its nearest such ancestor in the task tree."""
    parent = task.parent
    while parent is not None:
        spec = parent.task_spec
        if spec.manual or isinstance(getattr(spec, "event_definition", None), TimerEventDefinition):
            return spec.bpmn_id or ""
        parent = parent.parent
    return ""


def _end_event_reached(workflow: BpmnWorkflow) -> tuple[str, str, str]:
    """Return the id and outcome of the end event that decided the outcome, and what led to it
    (_path_start: e.g. the timer that fired).

    End events carrying the spiffworkflow property `outcome` win over side branches (the reminder
    branch ends too, possibly in the same engine step as the timeout).
    """
    ends = [
        t
        for t in workflow.get_tasks(state=TaskState.COMPLETED)
        if isinstance(t.task_spec, EndEvent) and t.workflow is workflow
    ]
    if not ends:
        return "completed", "", ""

    def outcome(task) -> str:
        return (getattr(task.task_spec, "extensions", None) or {}).get("properties", {}).get("outcome", "")

    decisive = [t for t in ends if outcome(t)]
    end = max(decisive or ends, key=lambda t: t.last_state_change)
    return end.task_spec.bpmn_id, outcome(end), _path_start(end)


def _result(
    process: ParsedProcess, workflow: BpmnWorkflow, ran: list[str], *, cancelled_stage: str = ""
) -> StepResult:
    cancelled = bool(cancelled_stage)
    ready = [] if cancelled else _ready_tasks(process, workflow)
    completed = workflow.is_completed()
    outcome = decided_by = ""
    if cancelled:
        stage, waiting_for = cancelled_stage, "nobody"
    elif completed:
        (stage, outcome, decided_by), waiting_for = _end_event_reached(workflow), "nobody"
    elif ready:
        stage, waiting_for = ready[0].name, WAITING_FOR_BY_LANE.get(ready[0].lane, "nobody")
    else:
        stage, waiting_for = "waiting", "nobody"
    last = workflow.last_task
    data = dict(last.data) if last is not None else dict(workflow.data)
    timer_dues = {} if (completed or cancelled) else _timer_dues(workflow)
    return StepResult(
        state=serialize(workflow),
        stage=stage,
        waiting_for=waiting_for,
        ready_tasks=ready,
        next_timer_due=min(timer_dues.values(), default=None),
        timer_dues=timer_dues,
        completed=completed or cancelled,
        cancelled=cancelled,
        ran=ran,
        data=data,
        outcome=outcome,
        decided_by=decided_by,
    )


def _decision_failure(exc: SpiffWorkflowException) -> str:
    """A decision table that failed on the data, in the reader's words: which rule (row, as the table
    editor numbers them) and the expression as the analyst wrote it (`?` for the input), not the
    engine's English report with its internal name for the input."""
    first = str(exc.args[0]) if exc.args else ""
    row = re.search(r"on row (\d+)", " ".join([first, *getattr(exc, "notes", [])]))
    expression = re.search(r"expression '(.*)'", first)
    source = expression.group(1).replace("dmninputexpr", "?") if expression else ""
    if row:
        return _(
            "Rule %(row)s of the decision table could not be evaluated on the request's data (%(expression)s): "
            "check the cells of that rule, e.g. a number compared with a text in quotes."
        ) % {"row": row.group(1), "expression": source or "—"}
    return _("The decision table could not be evaluated on the request's data (%(expression)s).") % {
        "expression": source or "—"
    }


def _refusal_in(exc: BaseException) -> UnsafeScriptError | None:
    """The restricted environment's refusal SpiffWorkflow wrapped (once or more), if that is the cause."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, UnsafeScriptError):
            return current
        seen.add(id(current))
        current = getattr(current, "exception", None) or current.__cause__ or current.__context__
    return None


def _run_engine(workflow: BpmnWorkflow, ran: list[str]) -> None:
    steps = 0

    def count(task):
        nonlocal steps
        steps += 1
        if steps > STEP_BUDGET:
            raise StepBudgetExceeded(
                _(
                    "The process ran more than %(limit)d automatic steps without waiting for anyone; "
                    "it probably loops."
                )
                % {"limit": STEP_BUDGET},
                element_id=getattr(task.task_spec, "bpmn_id", "") or "",
            )

    def record(task):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id:
            ran.append(bpmn_id)

    try:
        workflow.do_engine_steps(will_complete_task=count, did_complete_task=record)
    except SpiffWorkflowException as exc:
        original = getattr(exc, "exception", None)
        if original is not None and getattr(original, "bpmn_element_id", None):
            raise original from exc
        task = getattr(exc, "task", None)
        element = getattr(getattr(task, "task_spec", None), "bpmn_id", "") or ""
        if refused := _refusal_in(exc):
            # The bound the environment enforced, in words (SpiffWorkflow's own note names only the source).
            raise UnsafeScriptError(str(refused), element_id=element) from exc
        if isinstance(getattr(task, "task_spec", None), BusinessRuleTaskMixin):
            raise WorkflowError(_decision_failure(exc), element_id=element) from exc
        raise WorkflowError(str(exc).split("\n")[0], element_id=element) from exc


def start_instance(
    process: ParsedProcess, *, data: dict | None = None, services: ServiceCall | None = None
) -> StepResult:
    """Create an instance with the start data and run it to its first wait."""
    workflow = BpmnWorkflow(
        process.spec, process.subprocess_specs, script_engine=PortalScriptEngine(services)
    )
    if data:
        workflow.task_tree.data.update(json.loads(json.dumps(data)))
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(json.loads(json.dumps(data)))
    ran: list[str] = []
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


def ready_user_tasks(process: ParsedProcess, state: dict, *, lane: str | None = None) -> list[UserTask]:
    """Return the user tasks waiting for a person (optionally only one lane's)."""
    return _ready_tasks(process, deserialize(process, state), lane)


def ready_task_data(process: ParsedProcess, state: dict) -> dict[str, dict]:
    """The data each ready user task holds (element id → data): what the instance knows at its wait."""
    workflow = deserialize(process, state)
    return {task.task_spec.bpmn_id: dict(task.data) for task in _ready_manual_tasks(workflow)}


def describe(process: ParsedProcess, state: dict) -> StepResult:
    """Return stage, waiting-for and next timer of a stored state without running anything."""
    return _result(process, deserialize(process, state), [])


def complete_user_task(
    process: ParsedProcess,
    state: dict,
    task_id: UUID | str,
    data: dict,
    *,
    services: ServiceCall | None = None,
) -> StepResult:
    """Complete a ready user task with (already validated) data and run the engine to the next wait."""
    workflow = deserialize(process, state, services=services)
    try:
        task = workflow.get_task_from_id(UUID(str(task_id)))
    except Exception:
        task = None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReadyError(
            _("The task is not ready."), element_id=getattr(getattr(task, "task_spec", None), "bpmn_id", "")
        )
    ran: list[str] = []
    task.set_data(**json.loads(json.dumps(data)))
    try:
        task.run()
    except SpiffWorkflowException as exc:
        if refused := _refusal_in(exc):
            raise UnsafeScriptError(str(refused), element_id=task.task_spec.bpmn_id) from exc
        raise WorkflowError(str(exc).split("\n")[0], element_id=task.task_spec.bpmn_id) from exc
    ran.append(task.task_spec.bpmn_id)
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


def cancel_instance(process: ParsedProcess, state: dict, *, stage: str = "cancelled") -> StepResult:
    """Cancel the whole instance from outside its flow; `stage` says by whom (workflows/contract.py:
    CancelledStage), as no BPMN element does."""
    workflow = deserialize(process, state)
    workflow.cancel()
    return _result(process, workflow, [], cancelled_stage=stage)
