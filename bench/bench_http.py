"""Bench: one workflow step over real HTTP, against the server started exactly as `make run` starts it.

    .venv/bin/python bench/bench_http.py [--quick] [--scaled]     (or bench/run.py --only http)

The web server comes from scripts/serve_web.py (the launcher scripts/run-portal.sh uses) with a Celery
worker started as `make run` starts it; with DATABASE_URL / REDIS_URL set (bench/run.py --scaled starts a
private PostgreSQL + Redis through scripts/scaled-services.sh) the same is measured on them. Every virtual
client logs in over HTTP like a browser (GET the login page for the CSRF cookie, POST the form, keep the
session cookie; keep-alive connections) as a client user and as a staff member, then loops the payment day
change scenario through the API: submit → staff asks → client replies → staff approves.

Reported per number of concurrent clients (1 and 4): per-step median/p95, the lifecycle (the four steps),
requests/s and steps/s, the server's CPU per request (utime + stime from /proc/<pid>/stat of the server
and its children, read before and after; the worker's apart, and PostgreSQL's when it runs on this machine),
SQL statements per request (the server runs
with PORTAL_SQL_COUNT_HEADER=1: backend/config/sql_count.py) and errors. The bare engine step (SpiffWorkflow
+ sqlite3, bench_workflow_step.bare_engine) runs in this process between the HTTP phases, so a busy
machine slows both. One summary line:
`HTTP step median: X ms; server CPU per request: Y ms; bare engine step: Z ms; steps/s at 4 clients: N`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO_ROOT, database_urls, in_child_process, percentiles
from bench.http_portal import (
    Browser,
    NoticeBacklog,
    authenticator_codes,
    database_server_pid,
    start_portal,
    start_profiler,
    tree_cpu_ms,
    wait_for_documents,
)

STEPS = ("submit", "ask_client", "reply", "approve")
LEVELS = (1, 4)
# The lightest authenticated API call (the bell's unread count): session, user, middleware and DRF with one
# COUNT. Its server CPU is the floor every request pays before any step work, beside the steps' CPU.
LIGHTEST_URL = "/api/notices/unread-count/"


# --- a browser-like client ------------------------------------------------------------------------


class VirtualClient:
    """A client company's user and a staff member, each with a browser of their own."""

    def __init__(self, customer, client_browser: Browser, staff_browser: Browser):
        self.customer = customer
        self.client = client_browser
        self.staff = staff_browser

    async def scenario(self, record) -> None:
        """Run the four steps; `record(step, ms, sql)` after each."""

        async def step(name: str, browser: Browser, url: str, body: dict, expected: int = 200) -> dict:
            started = time.perf_counter()
            result, sql = await browser.post(url, body, expected)
            record(name, (time.perf_counter() - started) * 1000, sql)
            return result

        request_id = (await step("submit", self.client, "/api/requests/", self.customer.next_body(), 201))[
            "id"
        ]
        await step(
            "ask_client",
            self.staff,
            f"/api/staff/requests/{request_id}/ask-client/",
            {"question": "Prosimy o skan umowy."},
        )
        await step("reply", self.client, f"/api/requests/{request_id}/reply/", {"message": "Odpowiedź."})
        final = await step("approve", self.staff, f"/api/staff/requests/{request_id}/approve/", {})
        if final["status"] not in {"approved", "completed"}:
            raise RuntimeError(f"scenario ended in status {final['status']!r}")


async def drive(clients: list[VirtualClient], seconds: float) -> dict:
    """Loop the scenario on every client for `seconds`; return the phase's timings."""
    timings: dict[str, list[float]] = {step: [] for step in STEPS}
    sql: dict[str, list[int]] = {step: [] for step in STEPS}
    lifecycles: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def record(step: str, ms: float, count: int) -> None:
        timings[step].append(ms)
        sql[step].append(count)

    async def loop(client: VirtualClient) -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                await client.scenario(record)
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}"[:300])
                client.customer.payment_day = None  # unknown after a failed step: the next body picks one
                await asyncio.sleep(0.05)
                continue
            lifecycles.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    await asyncio.gather(*(loop(client) for client in clients))
    elapsed = time.monotonic() - started
    return {"timings": timings, "sql": sql, "lifecycles": lifecycles, "errors": errors, "seconds": elapsed}


async def drive_lightest(browser: Browser, seconds: float) -> list[float]:
    """GET LIGHTEST_URL one after another for `seconds`; the milliseconds of each call."""
    samples: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        await browser.get(LIGHTEST_URL)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# The process trees whose CPU a phase counts: the web server, the worker and, when it runs on this machine,
# PostgreSQL (SQLite runs inside the portal's own processes).
CPU_TREES = ("server", "worker", "database")


def summarize(phases: list[dict], cpu_ms: dict[str, float]) -> dict:
    """Merge the repeats of one concurrency level into its figures; `cpu_ms` by tree (CPU_TREES)."""
    timings = {step: [ms for phase in phases for ms in phase["timings"][step]] for step in STEPS}
    sql = {step: sorted({n for phase in phases for n in phase["sql"][step]}) for step in STEPS}
    lifecycles = [ms for phase in phases for ms in phase["lifecycles"]]
    errors = [error for phase in phases for error in phase["errors"]]
    backlog = [age for phase in phases for age in phase.get("notice_backlog_s", [])]
    seconds = sum(phase["seconds"] for phase in phases)
    requests = sum(len(values) for values in timings.values())
    all_steps = percentiles([ms for values in timings.values() for ms in values])
    return {
        "per_step": {step: percentiles(values) for step, values in timings.items()},
        "all_steps": all_steps,
        "p95_over_median": round(all_steps["p95_ms"] / all_steps["p50_ms"], 2) if requests else None,
        "lifecycle": percentiles(lifecycles),
        "requests": requests,
        "seconds": round(seconds, 1),
        "requests_per_s": round(requests / seconds, 1) if seconds else 0,
        "steps_per_s": round(requests / seconds, 1) if seconds else 0,  # every request is a step
        "lifecycles_per_s": round(len(lifecycles) / seconds, 2) if seconds else 0,
        **{
            f"{tree}_cpu_ms_per_request": round(cpu_ms[tree] / requests, 2)
            if requests and tree in cpu_ms
            else None
            for tree in CPU_TREES
        },
        "sql_statements_per_step": sql,
        # The age of the oldest outbox event the worker had not handled, sampled every 0.5 s of the phase.
        "notice_backlog_s": {"p50": round(statistics.median(backlog), 2), "max": round(max(backlog), 2)}
        if backlog
        else None,
        "errors": len(errors),
        "first_errors": sorted(set(errors))[:5],
    }


# --- one back end, in a child process -------------------------------------------------------------


def measure(database_url: str | None, quick: bool) -> dict:
    """Start the portal on a fresh database of `database_url` and measure it at 1 and 4 clients."""
    from bench.common import private_database, process_env, setup_django

    seconds = float(os.environ.get("BENCH_HTTP_SECONDS") or (3 if quick else 15))
    repeats = 1 if quick else 3
    bare_runs = 10 if quick else 60
    with private_database(database_url) as env, tempfile.TemporaryDirectory(prefix="bench-http-") as logs:
        setup_django(env)
        from django.db import connections

        from bench.scenario import make_people

        staff, customers = make_people(max(LEVELS))
        staff_email = staff.email
        second_factor_code = authenticator_codes(staff)
        database = database_server_pid()
        connections.close_all()
        server_env = process_env({**env, "PORTAL_SQL_COUNT_HEADER": "1"})
        web, worker, base_url = start_portal(server_env, Path(logs))
        trees = {"server": web.pid, "worker": worker.pid, **({"database": database} if database else {})}
        profilers = [
            start_profiler(web.pid, os.environ.get("BENCH_HTTP_PYSPY")),
            start_profiler(worker.pid, os.environ.get("BENCH_HTTP_PYSPY_WORKER")),
        ]
        try:
            figures = asyncio.run(
                _measure(
                    trees, base_url, staff_email, second_factor_code, customers, seconds, repeats, bare_runs
                )
            )
            figures["worker"] = os.environ.get("BENCH_HTTP_WORKER", "on")
            if figures["worker"] != "off":
                figures["decision_documents"] = wait_for_documents()
                # A worker that stopped during the run is an error of the run, whatever the steps did.
                if worker.process.poll() is not None:
                    figures["worker_stopped"] = worker.log_tail(600)
            return figures
        finally:
            for profiler in filter(None, profilers):
                profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
                profiler.wait(timeout=60)
            web.stop()
            worker.stop()


async def _measure(
    trees: dict[str, int], base_url, staff_email, second_factor_code, customers, seconds, repeats, bare_runs
) -> dict:
    from bench.bench_workflow_step import bare_engine

    logging.getLogger("httpx").setLevel(logging.WARNING)  # a log line per request would load the client

    clients = []
    for customer in customers:
        client_browser, staff_browser = Browser(base_url), Browser(base_url)
        await client_browser.login(customer.user.email)
        await staff_browser.login(staff_email, second_factor_code)
        clients.append(VirtualClient(customer, client_browser, staff_browser))
    try:
        await drive(clients[:1], 2 if seconds < 10 else 5)  # warm-up: imports, caches, connections
        phases: dict[int, list[dict]] = {level: [] for level in LEVELS}
        cpu = {level: dict.fromkeys(trees, 0.0) for level in LEVELS}
        bare_samples: list[float] = []
        lightest_samples: list[float] = []
        lightest_cpu = 0.0
        for _ in range(repeats):
            for level in LEVELS:
                # The bare engine between the HTTP phases: the same machine state on both sides.
                bare_samples += bare_engine(runs=bare_runs, with_spec=False)["_samples"]
                before = {tree: tree_cpu_ms(pid) for tree, pid in trees.items()}
                with NoticeBacklog() as backlog:
                    phase = await drive(clients[:level], seconds)
                for tree, pid in trees.items():
                    cpu[level][tree] += tree_cpu_ms(pid) - before[tree]
                phases[level].append({**phase, "notice_backlog_s": backlog.ages})
            before_lightest = tree_cpu_ms(trees["server"])
            lightest_samples += await drive_lightest(clients[0].client, seconds)
            lightest_cpu += tree_cpu_ms(trees["server"]) - before_lightest
    finally:
        for client in clients:
            await client.client.close()
            await client.staff.close()
    bare = percentiles(bare_samples)
    figures: dict = {
        "server": " ".join(_server_argv(trees["server"])),
        "seconds_per_phase": seconds,
        "repeats": repeats,
        "bare_engine_step": bare,
    }
    for level in LEVELS:
        figures[f"{level}_clients"] = summarize(phases[level], cpu[level])
    lightest_cpu_per_request = lightest_cpu / len(lightest_samples)
    figures["lightest_call"] = {
        "url": LIGHTEST_URL,
        **percentiles(lightest_samples),
        "server_cpu_ms_per_request": round(lightest_cpu_per_request, 2),
        "ratio_cpu_to_bare": round(lightest_cpu_per_request / bare["p50_ms"], 2),
    }
    one = figures["1_clients"]
    figures["ratio_step_to_bare"] = round(one["all_steps"]["p50_ms"] / bare["p50_ms"], 2)
    figures["ratio_cpu_to_bare"] = round(one["server_cpu_ms_per_request"] / bare["p50_ms"], 2)
    return figures


def _server_argv(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [
        part.decode(errors="replace").replace(str(REPO_ROOT) + "/", "") for part in raw.split(b"\0") if part
    ]


# --- entry points ---------------------------------------------------------------------------------


# The targets of issue #18, checked against what this run measured (never in a test: a printed verdict).
STEP_MEDIAN_TARGET_MS = 10.0
SERVER_CPU_TARGET_MS = 10.0
CPU_OVER_BARE_TARGET = 3.0
STEPS_PER_S_TARGET = 100.0
P95_OVER_MEDIAN_TARGET = 4.0


def target_verdicts(figures: dict, *, embedded: bool = True) -> list[tuple[str, bool]]:
    """Each #18 target with what this run measured and whether it was met, in the issue's order.

    The step medians are a target of the embedded default only (the issue's words); on PostgreSQL +
    Redis a run is held to the CPU, throughput, p95 and error targets.
    """
    one, four = figures["1_clients"], figures["4_clients"]
    bare = figures["bare_engine_step"]["p50_ms"]
    medians = {step: one["per_step"][step]["p50_ms"] for step in STEPS}
    cpu = one["server_cpu_ms_per_request"]
    verdicts = (
        [
            (
                f"{step} median {ms:.1f} ms ≤ {STEP_MEDIAN_TARGET_MS:.0f}",
                ms <= STEP_MEDIAN_TARGET_MS,
            )
            for step, ms in medians.items()
        ]
        if embedded
        else []
    )
    verdicts += [
        (f"server CPU {cpu:.1f} ms/request ≤ {SERVER_CPU_TARGET_MS:.0f}", cpu <= SERVER_CPU_TARGET_MS),
        (
            f"server CPU {cpu / bare:.1f}× the bare step ≤ {CPU_OVER_BARE_TARGET:.0f}×",
            cpu <= CPU_OVER_BARE_TARGET * bare,
        ),
        (
            f"{four['steps_per_s']:.1f} steps/s at 4 clients ≥ {STEPS_PER_S_TARGET:.0f}",
            four["steps_per_s"] >= STEPS_PER_S_TARGET,
        ),
        (
            f"p95 {four['p95_over_median']}× the median at 4 clients ≤ {P95_OVER_MEDIAN_TARGET:.0f}×",
            (four["p95_over_median"] or 0) <= P95_OVER_MEDIAN_TARGET,
        ),
    ]
    errors = one["errors"] + four["errors"] + (1 if figures.get("worker_stopped") else 0)
    stopped = " (the worker stopped)" if figures.get("worker_stopped") else ""
    verdicts.append((f"{errors} errors{stopped} = 0", errors == 0))
    return verdicts


def targets_line(figures: dict, *, embedded: bool = True) -> str:
    verdicts = target_verdicts(figures, embedded=embedded)
    met = sum(ok for _text, ok in verdicts)
    listed = "; ".join(f"{text} {'met' if ok else 'NOT met'}" for text, ok in verdicts)
    return f"#18 targets {met}/{len(verdicts)} met: {listed}"


def summary_line(figures: dict) -> str:
    one, four = figures["1_clients"], figures["4_clients"]
    return (
        f"HTTP step median: {one['all_steps']['p50_ms']:.1f} ms; "
        f"server CPU per request: {one['server_cpu_ms_per_request']:.1f} ms; "
        f"bare engine step: {figures['bare_engine_step']['p50_ms']:.1f} ms; "
        f"steps/s at 4 clients: {four['steps_per_s']:.1f}"
    )


def run(*, quick: bool) -> dict:
    result: dict = {"scenario": " → ".join(STEPS), "quick": quick}
    for backend, url in database_urls():
        figures = in_child_process("bench.bench_http:measure", url, quick)
        result[backend] = figures
        if "1_clients" not in figures:
            print(f"{backend}: {figures.get('error')}", flush=True)
            continue
        for level in LEVELS:
            level_figures = figures[f"{level}_clients"]
            steps = ", ".join(
                f"{step} {level_figures['per_step'][step].get('p50_ms', 0):.1f}/"
                f"{level_figures['per_step'][step].get('p95_ms', 0):.1f}"
                for step in STEPS
            )
            print(
                f"{backend} {level} client(s): median/p95 ms {steps}; lifecycle "
                f"{level_figures['lifecycle'].get('p50_ms', 0):.1f} ms; {level_figures['requests_per_s']} req/s; "
                f"server CPU {level_figures['server_cpu_ms_per_request']} ms/request "
                f"(worker {level_figures['worker_cpu_ms_per_request']}"
                + (
                    f", PostgreSQL {level_figures['database_cpu_ms_per_request']}"
                    if level_figures.get("database_cpu_ms_per_request") is not None
                    else ""
                )
                + "); "
                + (
                    f"notices behind by {level_figures['notice_backlog_s']['p50']} s "
                    f"(at most {level_figures['notice_backlog_s']['max']} s); "
                    if figures.get("worker") != "off" and level_figures.get("notice_backlog_s")
                    else ""
                )
                + f"SQL {level_figures['sql_statements_per_step']}; errors {level_figures['errors']}",
                flush=True,
            )
        lightest = figures["lightest_call"]
        print(
            f"{backend}: the lightest authenticated GET ({lightest['url']}): median {lightest['p50_ms']:.1f} ms, "
            f"server CPU {lightest['server_cpu_ms_per_request']:.1f} ms/request = "
            f"{lightest['ratio_cpu_to_bare']}× the bare step (what any request costs before step work)",
            flush=True,
        )
        line = summary_line(figures)
        result[backend]["summary"] = line
        result[backend]["targets"] = targets_line(figures, embedded=backend == "sqlite")
        print(f"{backend}: {line}", flush=True)
        print(f"{backend}: {result[backend]['targets']}", flush=True)
    return result


def main() -> int:
    """Run this bench alone through bench/run.py (its JSON in bench/results/, --scaled handled there)."""
    argv = [sys.executable, str(REPO_ROOT / "bench" / "run.py"), "--only", "http", *sys.argv[1:]]
    return subprocess.run(argv, cwd=REPO_ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
