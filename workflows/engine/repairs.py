"""Repairs of a stored instance by an administrator (workflows/repair.py): retry, edit data, reset."""

from __future__ import annotations

import json
from uuid import UUID

from django.utils.translation import gettext as _
from SpiffWorkflow.util.task import TaskState

from workflows.engine.errors import TaskNotReadyError, WorkflowError
from workflows.engine.results import ParsedProcess, StepResult
from workflows.engine.running import _result, _run_engine
from workflows.engine.scripts import ServiceCall
from workflows.engine.serialization import deserialize


def run_pending_steps(
    process: ParsedProcess, state: dict, *, services: ServiceCall | None = None
) -> StepResult:
    """Run what the instance can run by itself now: due timers and ready automatic tasks (a retry)."""
    workflow = deserialize(process, state, services=services)
    ran: list[str] = []
    workflow.refresh_timers()
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)


def update_ready_task_data(
    process: ParsedProcess, state: dict, task_id: UUID | str, data: dict
) -> StepResult:
    """Merge (already validated) data into the ready user task's data without completing it."""
    workflow = deserialize(process, state)
    try:
        task = workflow.get_task_from_id(UUID(str(task_id)))
    except Exception:
        task = None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotReadyError(_("The task is not ready."))
    task.set_data(**json.loads(json.dumps(data)))
    return _result(process, workflow, [])


def reset_to_task(
    process: ParsedProcess, state: dict, element_id: str, *, services: ServiceCall | None = None
) -> StepResult:
    """Move the token back to a user task the instance already reached (SpiffWorkflow's reset-to-task).

    The later branch is dropped; the task becomes ready again with the data it had when it was reached.
    """
    workflow = deserialize(process, state, services=services)
    if element_id not in process.user_tasks:
        raise WorkflowError(_("Choose a user task of this process."), element_id=element_id)
    reached = [
        task
        for task in workflow.get_tasks(spec_name=element_id)
        if task.state in (TaskState.READY, TaskState.COMPLETED, TaskState.STARTED)
    ]
    if not reached:
        raise WorkflowError(_("The instance has not reached this task yet."), element_id=element_id)
    target = max(reached, key=lambda task: task.last_state_change)
    ran: list[str] = []
    workflow.reset_from_task_id(target.id)
    # SpiffWorkflow 3.x leaves the dropped branch's waiting events (e.g. a boundary timer) registered.
    for task in list(workflow.event_manager.tasks.values()):
        if task.workflow.tasks.get(task.id) is not task:
            workflow.event_manager.remove_task(task)
    _run_engine(workflow, ran)
    return _result(process, workflow, ran)
