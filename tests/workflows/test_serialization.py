"""The stored instance state is what SpiffWorkflow's own JSON serializer writes (workflows/engine/serialization.py).

`serialize` leaves the spec out and writes the state with orjson instead of the stdlib encoder; these
compare it with SpiffWorkflow's stock `serialize_json` (spec removed) on real instances of every request flow and on data only the typed
encoder can hold, and check that what goes back in restores the same values.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from tests.workflows.flows import BPMN_DIR, REQUEST_FLOW_KINDS, services
from workflows import engine

KINDS = REQUEST_FLOW_KINDS


STOCK_SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


def spiff_serialized(workflow) -> dict:
    """What SpiffWorkflow's own serializer writes, without the spec the portal caches per version
    (read back with the stdlib: NaN stays NaN)."""
    dct = json.loads(STOCK_SERIALIZER.serialize_json(workflow))
    del dct["spec"], dct["subprocess_specs"]
    return dct


def waiting_workflow(kind: str):
    process = engine.parse_bpmn((BPMN_DIR / f"{kind}.bpmn").read_bytes())
    started = engine.start_instance(process, data={"request_id": 1, "kind": kind}, services=services)
    asked = engine.complete_user_task(
        process, started.state, started.ready_tasks[0].id, {"decision": "ask_client", "question": "Skan?"}
    )
    workflow = engine.deserialize(process, asked.state, services=services)
    return process, workflow, workflow.get_task_from_id(asked.ready_tasks[0].id)


@pytest.mark.parametrize("kind", KINDS)
def test_the_state_of_every_request_flow_is_what_spiffworkflow_writes(kind):
    # given
    _process, workflow, _task = waiting_workflow(kind)

    # when
    state = engine.serialize(workflow)

    # then
    assert state == spiff_serialized(workflow)


def test_values_json_cannot_hold_are_written_typed_and_restored_as_they_were():
    # given: a service or script left typed values in the data of the waiting task
    process, workflow, task = waiting_workflow("payment_date_change")
    due = datetime(2026, 12, 24, 9, 30, tzinfo=UTC)
    task.data.update(
        due=due,
        nested={"when": [due, {"grace": timedelta(days=3)}]},
        tags={"a"},
        amount=1234.56,
        label="Zmiana terminu płatności",
    )

    # when
    state = engine.serialize(workflow)

    # then: the same typed values SpiffWorkflow writes, and the same values come back
    assert state == spiff_serialized(workflow)
    assert state["tasks"][str(task.id)]["delta"]["updates"]["due"] == {
        "typename": "datetime",
        "value": due.isoformat(),
    }
    restored = engine.deserialize(process, state).get_task_from_id(task.id).data
    assert restored["due"] == due
    assert restored["nested"] == {"when": [due, {"grace": timedelta(days=3)}]}
    assert restored["tags"] == ["a"]


def test_what_orjson_refuses_is_written_the_stdlib_way():
    # given: a key that is not a string and an integer beyond 64 bits
    process, workflow, task = waiting_workflow("other_request")
    task.data.update(by_year={2026: "rok"}, huge=2**70)

    # when
    state = engine.serialize(workflow)

    # then
    assert state == spiff_serialized(workflow)
    assert state["tasks"][str(task.id)]["delta"]["updates"]["huge"] == 2**70
    assert engine.deserialize(process, state).get_task_from_id(task.id).data["by_year"] == {"2026": "rok"}


def test_not_a_number_is_stored_as_null_as_the_state_column_always_stored_it():
    # given
    _process, workflow, task = waiting_workflow("other_request")
    task.data.update(ratio=float("nan"))

    # when
    state = engine.serialize(workflow)

    # then
    assert state["tasks"][str(task.id)]["delta"]["updates"]["ratio"] is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_restored_state_is_the_state_that_was_stored(kind):
    # given
    process, workflow, task = waiting_workflow(kind)
    state = engine.serialize(workflow)

    # when
    restored = engine.deserialize(process, state)

    # then: the same tasks, tree and data, written back to the same state
    assert engine.serialize(restored) == state
    assert restored.get_task_from_id(task.id).task_spec.bpmn_id == task.task_spec.bpmn_id
    assert [str(t.id) for t in restored.task_tree.children] == [
        str(t.id) for t in workflow.task_tree.children
    ]


def test_the_state_is_the_same_whichever_mode_another_thread_left_the_shared_registry_in():
    # given: typed values nested in the data (the registry types them in one mode, default() in the other)
    from workflows.engine.serialization import _serializer

    _process, workflow, task = waiting_workflow("payment_date_change")
    due = datetime(2026, 12, 24, 9, 30, tzinfo=UTC)
    task.data.update(nested={"when": [due, {"grace": timedelta(days=3)}], "tags": {"a"}})

    # when: the registry left out of encoder mode, as another thread's serialize_json may leave it
    eager = _serializer.to_dict(workflow)
    eager[_serializer.VERSION_KEY] = _serializer.VERSION

    # then
    assert json.loads(json.dumps(eager, cls=_serializer._encoder_cls)) == engine.serialize(workflow)
