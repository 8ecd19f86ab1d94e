"""The engine facade: what the rest of the portal calls to deploy processes and step their instances.

Deploying and reading versions live in workflows/deployment.py, the steps of an instance in
workflows/steps.py; this module names them in one place. A step returns a plain `StepResult` (stage,
instance status, waiting-for, outcome, ready tasks, data) and writes nothing but the instance: the
domain service that called it applies the result to its own objects in the same transaction.
"""

from __future__ import annotations

from workflows import stage_labels
from workflows.deployment import (
    MAX_BPMN_CHARS,
    bpmn_dir,
    bpmn_problems_error,
    builtin_process_files,
    check_deployable,
    deploy_bpmn_version,
    deploy_builtin_processes,
    deployed_version_of,
    get_current_version,
    get_version,
    max_bpmn_megabytes,
    parse_for_deploy,
)
from workflows.steps import (
    InstanceSuspended,
    StepResult,
    VersionMove,
    cancel_process,
    complete_task,
    due_timer_instance_ids,
    fire_locked_timers,
    fire_timers,
    get_task_form,
    lock_instance,
    lock_instances,
    move_instance_to_version,
    ready_tasks,
    refuse_if_suspended,
    start_process,
    stored_state,
    waiting_timer_dues,
)
from workflows.versioning import parsed

__all__ = [
    "MAX_BPMN_CHARS",
    "InstanceSuspended",
    "StepResult",
    "VersionMove",
    "bpmn_dir",
    "bpmn_problems_error",
    "builtin_process_files",
    "check_deployable",
    "cancel_process",
    "complete_task",
    "deploy_bpmn_version",
    "deploy_builtin_processes",
    "deployed_version_of",
    "due_timer_instance_ids",
    "fire_locked_timers",
    "fire_timers",
    "get_current_version",
    "get_task_form",
    "get_version",
    "lock_instance",
    "lock_instances",
    "max_bpmn_megabytes",
    "move_instance_to_version",
    "parse_for_deploy",
    "parsed",
    "ready_tasks",
    "refuse_if_suspended",
    "stage_title",
    "start_process",
    "stored_state",
    "waiting_timer_dues",
]


def stage_title(stage_id: str, *, language: str = "pl") -> str | None:
    """The BPMN's own label of a stage (workflows/stage_labels.py)."""
    return stage_labels.title(stage_id, language=language)
