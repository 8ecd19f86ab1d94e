"""Moving an instance to another version of its process (explicit, by an analyst), keeping its clocks."""

from __future__ import annotations

import ast
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin, BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.util.task import TaskState

from backend.core.language import quoted
from workflows.engine.conventions import data_reference
from workflows.engine.errors import WorkflowError
from workflows.engine.results import ParsedProcess, StepResult
from workflows.engine.running import _result, _run_engine, waiting_timers
from workflows.engine.scripts import ServiceCall
from workflows.engine.serialization import _serializer, deserialize
from workflows.engine.timers import _attached_task


def migrate_state(
    old: ParsedProcess, new: ParsedProcess, state: dict, *, services: ServiceCall | None = None
) -> StepResult:
    """Move a stored instance onto another version of its process, or refuse naming what blocks it.

    Tasks that already happened or wait now must exist in the new version; ready and waiting tasks are
    re-predicted from the new spec (their ids change), a waiting task gets the boundary events the new
    version adds to it, then the engine runs to the next wait.
    """
    from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow

    if old.process_key != new.process_key:
        raise WorkflowError(
            _("The new version belongs to another process (%(process)s).") % {"process": new.process_key}
        )
    workflow = deserialize(old, state, services=services)
    if workflow.subprocesses:
        raise WorkflowError(_("A request with running subprocesses cannot move to another version."))
    # not `_`: that name is gettext here
    top_diff, _subprocess_diffs = diff_workflow(
        _serializer.registry, workflow, new.spec, new.subprocess_specs
    )
    definite = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
    # Named in the order the analyst reads the diagram (the flow's), not by id.
    blocking = _in_flow_order(
        workflow.spec, {_bpmn_element(t.task_spec) for t in top_diff.removed if t.has_state(definite)}
    )
    if blocking:
        raise WorkflowError(
            _("The new version lacks elements this request has already reached: %(elements)s.")
            % {"elements": ", ".join(_lacking_label(workflow.spec, new, name) for name in blocking)},
            element_id=blocking[0],
        )
    waiting = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING, skip_subprocesses=True)
    _refuse_timer_reads_the_data_lacks(new, [task.data for task in waiting])
    waiting_since = _waiting_since(workflow)
    timers_before = {
        task.task_spec.bpmn_id: (due, task.task_spec.event_definition.expression)
        for task, due in waiting_timers(workflow)
    }
    migrate_workflow(top_diff, workflow, new.spec)
    workflow.subprocess_specs = new.subprocess_specs
    _start_new_boundary_events(workflow)
    ran: list[str] = []
    _run_engine(workflow, ran)
    _reanchor_timers(workflow, timers_before, waiting_since)
    return _result(new, workflow, ran)


def _bpmn_element(task_spec: TaskSpec) -> str:
    """The id of the BPMN element a task spec stands for. SpiffWorkflow wraps a task with boundary events
    in an engine-internal split and join: those stand for their task (the split's one output that is not a
    boundary event; the join's one input that is not, as SpiffWorkflow's TaskParser wires them)."""
    if task_spec.bpmn_id:
        return task_spec.bpmn_id
    if isinstance(task_spec, BoundaryEventSplit):
        around = task_spec.outputs
    elif isinstance(task_spec, BoundaryEventJoin):
        around = task_spec.inputs
    else:
        return task_spec.name
    task = next((s for s in around if not isinstance(s, BoundaryEvent)), None)
    return task.bpmn_id if task is not None and task.bpmn_id else task_spec.name


def _in_flow_order(spec: BpmnProcessSpec, element_ids: set[str]) -> list[str]:
    """The elements in the order of the flow: SpiffWorkflow's parser adds a process's task specs following
    its sequence flows from the start event, so their order is the diagram's reading order (an element the
    spec lacks comes last, by id)."""
    position: dict[str, int] = {}
    for task_spec in spec.task_specs.values():
        position.setdefault(_bpmn_element(task_spec), len(position))
    return sorted(element_ids, key=lambda element: (position.get(element, len(position)), element))


def _element_name(task_spec: TaskSpec) -> str:
    """How a message names an element: by the name analysts see on the canvas, the id when it has none."""
    name = " ".join((getattr(task_spec, "bpmn_name", None) or "").split())
    return quoted(name) if name else task_spec.bpmn_id or task_spec.name


def _lacking_label(old: BpmnProcessSpec, new: ParsedProcess, element_id: str) -> str:
    """An element the new version lacks, by its name in the old version. A task the new version keeps but
    without its boundary events (its split is what is missing) is named with them."""
    task_spec = old.task_specs.get(element_id)
    if task_spec is None:
        return element_id
    if element_id in new.spec.task_specs:
        return _("the boundary events of %(task)s") % {"task": _element_name(task_spec)}
    return _element_name(task_spec)


def _refuse_timer_reads_the_data_lacks(new: ParsedProcess, datas: list[dict]) -> None:
    """Refuse the move when a date timer of the new version reads a key that the data of the instance's
    waiting tasks lacks under a variable it has (`complaint_clock["reply_by_at"]` in a complaint started
    before the version added it): the timer would fail when its task is reached, an incident in a request
    that had none. A variable the data lacks altogether is left to the version's own tasks, which may set it."""
    for spec in new.spec.task_specs.values():
        definition = getattr(spec, "event_definition", None)
        expression = getattr(definition, "expression", None)
        read = data_reference(expression or "") if isinstance(definition, TimerEventDefinition) else None
        if read is None:
            continue
        name, keys = read
        for data in datas:
            if name not in data:
                continue
            try:
                value = data[name]
                for key in keys:
                    value = value[key]
            except (KeyError, IndexError, TypeError):
                raise WorkflowError(
                    _(
                        "The timer %(timer)s of the new version takes its date from %(expression)s, which this "
                        "request's data lacks (it was started on a version that did not keep it): the timer "
                        "would fail when its task is reached. Leave the request on its version."
                    )
                    % {"timer": _element_name(spec), "expression": expression.strip()},
                    element_id=spec.bpmn_id or "",
                ) from None


def _start_new_boundary_events(workflow: BpmnWorkflow) -> None:
    """Start the boundary events the new version attaches to a task that already waits.

    migrate_workflow only swaps the specs of the tasks the instance has, so a timer the old version lacked
    on the waiting task would never start (SpiffWorkflow adds a task's boundary events when the task is
    reached, as children of its BoundaryEventSplit). They are added here as that split's run would add
    them (waiting, their paths predicted); _reanchor_timers then counts them from when the task started
    waiting. A task the old version gave no boundary event at all has no split to hang them on: the move
    is refused, naming the timers that would not start.
    """
    for task in workflow.get_tasks(state=TaskState.READY, manual=True, skip_subprocesses=True):
        # The engine's split before a task with boundary events leads into it (found by class, not name).
        split_spec = next((s for s in task.task_spec.inputs if isinstance(s, BoundaryEventSplit)), None)
        if split_spec is None:
            continue
        split = task.parent
        if split is None or split.task_spec is not split_spec:
            events = [s for s in split_spec.outputs if isinstance(s, BoundaryEvent)]
            missing = [s.bpmn_id or s.name for s in events]
            raise WorkflowError(
                _(
                    "The task %(task)s already waits without boundary events, and the new version attaches "
                    "%(events)s to it: they cannot be started on a waiting task, so they would never fire. "
                    "Move the request once the task is done, or to a version without them."
                )
                % {"task": _element_name(task.task_spec), "events": ", ".join(map(_element_name, events))},
                element_id=missing[0] if missing else task.task_spec.bpmn_id or "",
            )
        present = {child.task_spec for child in split.children}
        for spec in split_spec.outputs:
            if spec in present or not isinstance(spec, BoundaryEvent):
                continue
            event = split._add_child(spec, TaskState.MAYBE)
            spec._predict(event)
            event._set_state(TaskState.WAITING)  # what BoundaryEventSplit's run does to its events
            spec._update(event)  # starts it: the timer's due time, the workflow's event manager


def _waiting_since(workflow: BpmnWorkflow) -> dict[str, datetime]:
    """When each ready user task started waiting (its clock's anchor)."""
    return {
        task.task_spec.bpmn_id: datetime.fromtimestamp(task.last_state_change, tz=UTC)
        for task in workflow.get_tasks(state=TaskState.READY, manual=True)
    }


def _duration_due(expression: str, start: datetime) -> datetime | None:
    """The due time of a duration timer started at `start` (None for dates and cycles)."""
    try:
        value = ast.literal_eval(expression.strip())
        if not isinstance(value, str) or not value.upper().startswith("P"):
            return None
        parsed = TimerEventDefinition.parse_iso_duration(value)
        return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)
    except Exception:
        return None


def _reanchor_timers(
    workflow: BpmnWorkflow,
    before: dict[str, tuple[datetime | None, str]],
    waiting_since: dict[str, datetime],
) -> None:
    """Keep the clocks of a moved instance: a timer keeps the due time it had (same element, same
    expression); a new or changed timer counts from when its task started waiting, not from the move."""
    for task, _due in waiting_timers(workflow):
        definition = task.task_spec.event_definition
        old_due, old_expression = before.get(task.task_spec.bpmn_id, (None, None))
        if old_due is not None and old_expression == definition.expression:
            due = old_due
        else:
            since = waiting_since.get(_attached_task(task))
            due = _duration_due(definition.expression, since) if since is not None else None
        if due is not None:
            task._set_internal_data(event_value=due.isoformat())
