"""Bench 1: one workflow step through the portal's REST API vs the bare engine, in the same run.

Scenario on bpmn/payment_date_change.bpmn: submit → staff asks the client → client replies → staff
approves (the approval runs the two service tasks to the end event).

(a) Bare SpiffWorkflow, the reference: no Django. The spec is parsed once; each step loads the JSON
    from SQLite (sqlite3 module, WAL), deserializes, completes the task, runs the engine steps,
    serializes and saves. Measured twice: state serialized with the spec inside, and without it.
    This file is allowed to import SpiffWorkflow because it is the reference; the portal is not.
(b) The portal: the same steps as HTTP requests through DRF's APIClient in this process (full
    middleware, session auth, permission checks, row lock, history, outbox), on SQLite and, with
    DATABASE_URL set, on PostgreSQL.
The figure that matters: median ms per step of (b) over (a, without spec), both measured in the same
process in alternating chunks (`ratio_to_bare`); target ≤ 2.0 on SQLite. Beside it, the lightest
authenticated API call (`lightest_api_call`, a GET of the unread-notice count) measured in the same
chunks: what session, user, middleware and DRF cost before any step work, so the part of the ratio that
step code cannot remove.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path
from uuid import UUID

from bench.common import REPO_ROOT, Skip, percentiles

BPMN_FILE = REPO_ROOT / "bpmn" / "payment_date_change.bpmn"
PROCESS_ID = "payment_date_change"
STEPS = ("submit", "ask_client", "reply", "approve")
# What each user task of the scenario is completed with, in order.
SCENARIO = (
    ("ask_client", "staff_review", {"decision": "ask_client", "question": "Prosimy o potwierdzenie."}),
    ("reply", "client_reply", {"reply": "Potwierdzam zmianę dnia płatności."}),
    ("approve", "staff_review", {"decision": "approve", "comment": "Zgoda."}),
)


# --- (a) bare engine ------------------------------------------------------------------------------


def bare_engine(*, runs: int, with_spec: bool) -> dict:
    """Run the scenario `runs` times on bare SpiffWorkflow with the state kept in SQLite."""
    try:
        from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
        from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
        from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
        from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
        from SpiffWorkflow.util.task import TaskState
    except ImportError as error:
        raise Skip(f"SpiffWorkflow not importable: {error}") from error
    if not BPMN_FILE.exists():
        raise Skip(f"{BPMN_FILE.relative_to(REPO_ROOT)} is not there yet")

    class ServiceEngine(PythonScriptEngine):
        """Service tasks answer at once: the reference measures the engine, not the services."""

        def call_service(self, task, **kwargs):
            return json.dumps({"ok": True, "operation": kwargs.get("operation_name")})

    class SpeclessConverter(BpmnWorkflowConverter):
        def to_dict(self, workflow):
            dct = super().to_dict(workflow)
            dct.pop("spec", None)
            dct.pop("subprocess_specs", None)
            return dct

        def from_dict(self, dct, spec=None, subprocess_specs=None):
            workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
            workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
            workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
            self.set_default_attributes(workflow, dct)
            self.subprocesses_from_dict(dct["subprocesses"], workflow)
            workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
            return workflow

    parse_started = time.perf_counter()
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_file(str(BPMN_FILE))
    spec = parser.get_spec(PROCESS_ID)
    subprocess_specs = parser.get_subprocess_specs(PROCESS_ID)
    parse_ms = (time.perf_counter() - parse_started) * 1000

    config = dict(SPIFF_CONFIG)
    if not with_spec:
        config[BpmnWorkflow] = SpeclessConverter
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))
    engine = ServiceEngine(environment=TaskDataEnvironment())

    def load(text: str) -> BpmnWorkflow:
        if with_spec:
            workflow = serializer.deserialize_json(text)
        else:
            dct = json.loads(text)
            serializer.migrate(dct)
            workflow = serializer.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)
        workflow.script_engine = engine
        return workflow

    timings: dict[str, list[float]] = {step: [] for step in STEPS}
    sizes: list[int] = []
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as folder:
        db = sqlite3.connect(Path(folder) / "bare.sqlite3", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE instance (id INTEGER PRIMARY KEY, state TEXT NOT NULL, version INTEGER)")
        for _ in range(runs):
            started = time.perf_counter()
            workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=engine)
            workflow.data.update({"new_day": 20, "reason": "cash_flow"})
            workflow.do_engine_steps()
            db.execute("BEGIN IMMEDIATE")
            cursor = db.execute(
                "INSERT INTO instance (state, version) VALUES (?, 0)", (serializer.serialize_json(workflow),)
            )
            db.execute("COMMIT")
            instance_id = cursor.lastrowid
            timings["submit"].append((time.perf_counter() - started) * 1000)

            for step, task_name, data in SCENARIO:
                started = time.perf_counter()
                db.execute("BEGIN IMMEDIATE")
                text, version = db.execute(
                    "SELECT state, version FROM instance WHERE id = ?", (instance_id,)
                ).fetchone()
                workflow = load(text)
                ready = [
                    task
                    for task in workflow.get_tasks(state=TaskState.READY, manual=True)
                    if task.task_spec.bpmn_id == task_name
                ]
                if not ready:
                    db.execute("ROLLBACK")
                    raise RuntimeError(f"bare engine: {task_name} not ready at step {step}")
                ready[0].set_data(**data)
                ready[0].run()
                workflow.do_engine_steps()
                state = serializer.serialize_json(workflow)
                db.execute(
                    "UPDATE instance SET state = ?, version = version + 1 WHERE id = ? AND version = ?",
                    (state, instance_id, version),
                )
                db.execute("COMMIT")
                timings[step].append((time.perf_counter() - started) * 1000)
                if step == "ask_client":
                    sizes.append(len(state))
            if not workflow.is_completed():
                raise RuntimeError("bare engine: the scenario did not reach the end event")
        db.close()
    all_steps = [value for values in timings.values() for value in values]
    return {
        "parse_ms": round(parse_ms, 2),
        "state_bytes_waiting_for_client": sizes[0] if sizes else None,
        "per_step": {step: percentiles(values) for step, values in timings.items()},
        "all_steps": percentiles(all_steps),
        "_samples": all_steps,
    }


# --- (b) through the API --------------------------------------------------------------------------


def through_api(runs: int, database_url: str | None) -> dict:
    """Run the scenario `runs` times through the REST API in this process."""
    from bench.common import private_database, setup_django

    with private_database(database_url) as env:
        setup_django(env)
        from bench.scenario import InProcessPortal  # raises Skip while the request API is missing

        portal = InProcessPortal.create()
        portal.run_scenario()  # warm-up: caches, first-time imports
        timings: dict[str, list[float]] = {step: [] for step in STEPS}
        queries: dict[str, int] = {}
        bare_samples: list[float] = []
        # The bare reference runs in the same process, interleaved in chunks with the API runs, so a
        # busy machine slows both alike and the ratio stays fair.
        floor_samples: list[float] = []
        chunk = max(1, runs // 10)
        for _ in range(0, runs, chunk):
            bare_samples += bare_engine(runs=chunk, with_spec=False)["_samples"]
            for _ in range(chunk):
                for step, elapsed_ms, query_count in portal.run_scenario(timed=True):
                    timings[step].append(elapsed_ms)
                    queries[step] = query_count
                floor_samples.append(portal.time_lightest_call())
        portal.close()
        all_steps = [value for values in timings.values() for value in values]
        bare = percentiles(bare_samples)
        floor = percentiles(floor_samples)
        return {
            "per_step": {step: percentiles(values) for step, values in timings.items()},
            "all_steps": percentiles(all_steps),
            "sql_queries_per_step": queries,
            "bare_without_spec_interleaved": bare,
            "ratio_to_bare": round(percentiles(all_steps)["p50_ms"] / bare["p50_ms"], 2),
            # What any authenticated API call costs before a step does anything (session, user, DRF,
            # middleware, one COUNT): the part of the ratio no step code can remove.
            "lightest_api_call": floor,
            "lightest_api_call_ratio_to_bare": round(floor["p50_ms"] / bare["p50_ms"], 2),
        }


def run(*, quick: bool) -> dict:
    runs = 50 if quick else 300
    result: dict = {"scenario": " → ".join(STEPS), "runs": runs}
    result["bare_with_spec"] = bare_engine(runs=runs, with_spec=True)
    result["bare_without_spec"] = bare_engine(runs=runs, with_spec=False)
    for variant in ("bare_with_spec", "bare_without_spec"):
        result[variant].pop("_samples")
    bare_median = result["bare_without_spec"]["all_steps"]["p50_ms"]
    print(
        f"bare SpiffWorkflow + sqlite3: median {bare_median:.2f} ms/step without spec, "
        f"{result['bare_with_spec']['all_steps']['p50_ms']:.2f} ms/step with spec",
        flush=True,
    )
    # The API part runs in child processes: Django can only be set up once per process.
    result["api"] = run_api_parts(runs=runs)
    for backend, figures in result["api"].items():
        if "all_steps" in figures:
            median = figures["all_steps"]["p50_ms"]
            print(
                f"API on {backend}: median {median:.2f} ms/step, {figures['ratio_to_bare']}x the bare engine "
                f"(interleaved, median {figures['bare_without_spec_interleaved']['p50_ms']:.2f} ms/step); "
                f"the lightest authenticated API call alone: {figures['lightest_api_call']['p50_ms']:.2f} ms "
                f"= {figures['lightest_api_call_ratio_to_bare']}x"
            )
    return result


def run_api_parts(*, runs: int) -> dict:
    from bench.common import database_urls, in_child_process

    results = {}
    for backend, url in database_urls():
        try:
            results[backend] = in_child_process("bench.bench_workflow_step:through_api", runs, url)
        except Skip as skip:
            results[backend] = {"skipped": str(skip)}
    return results
