"""The instance state without the spec: serialize to JSON-ready data, restore against a parsed process."""

from __future__ import annotations

import json
from functools import lru_cache
from uuid import UUID

import orjson
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    TaskConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_SERIALIZER_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from workflows.engine.results import ParsedProcess
from workflows.engine.scripts import PortalScriptEngine, ServiceCall

# Our storage format: SpiffWorkflow's serializer version plus our spec-less envelope.
SERIALIZER_VERSION = f"{SPIFF_SERIALIZER_VERSION}-nospec-1"


@lru_cache(maxsize=16384)
def _uuid(text: str) -> UUID:
    """A task id read back from its text. Each id is written three times in a state (the task, its
    parent's children, its children's parent) and comes back on every step of the instance: parsing
    them was a third of restoring a state. UUIDs are immutable, so one object serves every reader."""
    return UUID(text)


class _TaskConverter(TaskConverter):
    """SpiffWorkflow's TaskConverter.from_dict (3.2), with the ids read through `_uuid`."""

    def from_dict(self, dct, workflow):
        task_spec = workflow.spec.task_specs.get(dct["task_spec"])
        task = self.target_class(workflow, task_spec, state=dct["state"], id=_uuid(dct["id"]))
        task._parent = _uuid(dct["parent"]) if dct["parent"] is not None else None
        task._children = [_uuid(child) for child in dct["children"]]
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct["triggered"]
        task.internal_data = self.registry.restore(dct["internal_data"])
        if isinstance(task_spec, CatchingEvent) and task.has_state(TaskState.WAITING):
            task.workflow.top_workflow.event_manager.add_task(task)
        delta = dct.get("delta")
        if delta and task.parent is not None:
            data = DeepMerge.merge({}, task.parent.data)
            data.update(self.registry.restore(delta.get("updates", {})))
            for key in delta.get("deletions", {}):
                if key in data:
                    del data[key]
        else:
            data = self.registry.restore(dct["data"])
        task.data = data
        return task


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """Leave the spec out of the state; take it from the cache when restoring."""

    def to_dict(self, workflow):
        # BpmnWorkflowConverter.to_dict without its spec and subprocess specs: converting the whole
        # process definition only to drop it cost a fifth of every serialization.
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        dct = dict(dct)
        dct["spec"] = None
        dct["subprocess_specs"] = {}
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], _uuid, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(_uuid(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_SPECLESS_CONFIG = dict(SPIFF_CONFIG)
_SPECLESS_CONFIG[BpmnWorkflow] = _SpeclessWorkflowConverter
_SPECLESS_CONFIG[Task] = _TaskConverter
_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_SPECLESS_CONFIG))


# SpiffWorkflow's JSON encoder: its default() writes what JSON cannot hold as typed values
# ({"typename": "datetime", ...}). orjson calls it for everything it does not write itself; datetimes and
# dataclasses are passed through to it so they stay typed. orjson writes UUIDs as plain strings, but no
# instance data holds one (form data and service results arrive as JSON; scripts cannot import), and NaN as
# null, which is what the state column stored anyway (backend/core/fast_json.py).
_typed_values = _serializer._encoder_cls()
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def serialize(workflow: BpmnWorkflow) -> dict:
    """The instance state as JSON-ready data: SpiffWorkflow's `serialize_json`, written by orjson.

    The stdlib encoder took ~100 µs of the ~10 kB state on every step and timer; orjson ~8 µs. What orjson
    refuses (non-string keys, integers beyond 64 bits, values nobody can type) goes the stdlib way, as before.
    """
    registry = _serializer.registry
    # As serialize_json: leave typed values to the encoder's default(). The flag is the shared registry's
    # (threads of one process may flip it under each other, as with serialize_json itself); either mode
    # writes the same JSON, the mode only decides whether the registry or default() types the values.
    registry._encoder_mode = True
    try:
        dct = _serializer.to_dict(workflow)
    finally:
        registry._encoder_mode = False
    dct[_serializer.VERSION_KEY] = _serializer.VERSION
    try:
        return orjson.loads(orjson.dumps(dct, default=_typed_values.default, option=_ORJSON_OPTIONS))
    except orjson.JSONEncodeError:
        text = json.dumps(dct, cls=_serializer._encoder_cls)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # NaN or Infinity, which json writes and orjson does not read
        return json.loads(text)


def _copy(state: dict) -> dict:
    """A deep copy of JSON data: orjson when it can (about ten times faster), json for what it cannot
    hold (integers beyond 64 bits)."""
    try:
        return orjson.loads(orjson.dumps(state))
    except orjson.JSONEncodeError:
        return json.loads(json.dumps(state))


def _parents_first(tasks: dict, root: str) -> dict:
    """Order a serialized task mapping so every parent comes before its children.

    SpiffWorkflow restores a task's data as a delta over its parent's, so the parent must be restored
    first. PostgreSQL's jsonb does not keep key order, so the stored order cannot be trusted.
    """
    ordered: dict = {}
    queue = [root]
    while queue:
        task_id = queue.pop(0)
        if task_id in ordered or task_id not in tasks:
            continue
        ordered[task_id] = tasks[task_id]
        queue.extend(tasks[task_id].get("children", []))
    for task_id, task in tasks.items():  # anything unreachable keeps its place at the end
        ordered.setdefault(task_id, task)
    return ordered


def deserialize(process: ParsedProcess, state: dict, *, services: ServiceCall | None = None) -> BpmnWorkflow:
    dct = _copy(state)  # the serializer mutates what it restores
    dct["tasks"] = _parents_first(dct.get("tasks", {}), dct.get("root"))
    for subprocess in (dct.get("subprocesses") or {}).values():
        subprocess["tasks"] = _parents_first(subprocess.get("tasks", {}), subprocess.get("root"))
    _serializer.migrate(dct)
    workflow = _serializer.from_dict(dct, spec=process.spec, subprocess_specs=process.subprocess_specs)
    workflow.script_engine = PortalScriptEngine(services)
    return workflow
