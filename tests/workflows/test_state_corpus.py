"""Stored states from every wait point must still load and finish (guards SpiffWorkflow/serializer upgrades).

The corpus in state_corpus/ was written once with `REGENERATE_STATE_CORPUS=1 pytest tests/workflows/test_state_corpus.py`;
never regenerate it to make a failing upgrade pass: add an upgrade step to workflows/steps.py
(`stored_state`, which now only logs an older format) instead.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from tests.workflows.flows import BPMN_DIR, REQUEST_FLOW_KINDS, services
from workflows import engine

CORPUS = Path(__file__).with_name("state_corpus")
KINDS = REQUEST_FLOW_KINDS


def regenerate() -> None:
    CORPUS.mkdir(exist_ok=True)
    with time_machine.travel(datetime(2026, 1, 5, 10, 0, tzinfo=UTC), tick=False) as traveller:
        for kind in KINDS:
            shutil.copy(BPMN_DIR / f"{kind}.bpmn", CORPUS / f"{kind}.bpmn")
            process = engine.parse_bpmn((CORPUS / f"{kind}.bpmn").read_bytes())
            started = engine.start_instance(process, data={"request_id": 1, "kind": kind}, services=services)
            asked = engine.complete_user_task(
                process,
                started.state,
                started.ready_tasks[0].id,
                {"decision": "ask_client", "question": "Dokumenty?"},
            )
            traveller.shift(timedelta(days=15))
            reminded = engine.fire_due_timers(process, asked.state, services=services)
            replied = engine.complete_user_task(
                process,
                reminded.state,
                reminded.ready_tasks[0].id,
                {"message": "W załączniku."},
                services=services,
            )
            traveller.shift(timedelta(days=-15))
            for wait_point, result in [
                ("staff_review", started),
                ("client_reply", asked),
                ("client_reply_after_reminder", reminded),
                ("staff_review_after_reply", replied),
            ]:
                entry = {
                    "process": kind,
                    "wait_point": wait_point,
                    "serializer_version": engine.SERIALIZER_VERSION,
                    "stage": result.stage,
                    "state": result.state,
                }
                path = CORPUS / f"{kind}__{wait_point}.json"
                path.write_text(json.dumps(entry, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if os.environ.get("REGENERATE_STATE_CORPUS") == "1":
    regenerate()

CASES = sorted(CORPUS.glob("*__*.json"))


def load(path: Path) -> tuple[dict, engine.ParsedProcess]:
    entry = json.loads(path.read_text(encoding="utf-8"))
    return entry, engine.parse_bpmn((CORPUS / f"{entry['process']}.bpmn").read_bytes())


def test_corpus_covers_every_process_and_wait_point():
    assert len(CASES) == len(KINDS) * 4


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_stored_state_loads_and_finishes_by_approval(path):
    # given
    entry, process = load(path)
    result = engine.describe(process, entry["state"])
    assert result.stage == entry["stage"]

    # when people finish it
    for _ in range(4):
        if result.completed:
            break
        task = result.ready_tasks[0]
        data = {"decision": "approve", "answer": "Tak"} if task.lane == "Staff" else {"message": "Proszę."}
        result = engine.complete_user_task(process, result.state, task.id, data, services=services)

    # then
    assert result.completed
    assert result.stage == "request_approved"


@pytest.mark.parametrize("path", [p for p in CASES if "client_reply" in p.stem], ids=lambda p: p.stem)
def test_stored_waiting_state_times_out(path):
    # given
    entry, process = load(path)

    # when long after its deadline
    with time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False):
        result = engine.fire_due_timers(process, entry["state"], services=services)

    # then
    assert result.stage == "request_cancelled"
    assert result.completed


# What each wait point knows and when its timers fall due, as the corpus was written (frozen at 2026-01-05
# 10:00 UTC; the question asked then). Written out here, not read from the corpus, so an engine upgrade that
# drops task data or shifts a timer on load fails.
ASKED_AT = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
ASKED = {"decision": "ask_client", "question": "Dokumenty?"}
EXPECTED_AT_WAIT_POINT = {
    "staff_review": ("staff_review", {}, {}),
    "client_reply": (
        "client_reply",
        ASKED,
        {"reminder_timer": ASKED_AT + timedelta(days=14), "cancel_timer": ASKED_AT + timedelta(days=30)},
    ),
    "client_reply_after_reminder": ("client_reply", ASKED, {"cancel_timer": ASKED_AT + timedelta(days=30)}),
    "staff_review_after_reply": ("staff_review", {**ASKED, "message": "W załączniku."}, {}),
}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_stored_state_keeps_its_task_data_and_timer_due_times(path):
    # given
    entry, process = load(path)
    task, extra_data, timers = EXPECTED_AT_WAIT_POINT[entry["wait_point"]]

    # when it is loaded
    data = engine.ready_task_data(process, entry["state"])
    due = {t.element_id: t.due for t in engine.timer_due_times(process, entry["state"])}

    # then
    assert data == {task: {"request_id": 1, "kind": entry["process"], **extra_data}}
    assert due == timers
    assert engine.describe(process, entry["state"]).next_timer_due == min(timers.values(), default=None)
