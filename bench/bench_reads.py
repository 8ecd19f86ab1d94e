"""Bench 3: reads at scale — the 10,000-client / ~1,000,000-invoice data set.

The data set is seeded once (`manage.py seed_demo --clients N --seed 1`) into a dedicated database and
reused by later runs: SQLite file var/bench/reads-<N>.sqlite3 (override with PORTAL_BENCH_READS_DB),
and with DATABASE_URL set a PostgreSQL database portal_reads_<N> on that server. `--quick` uses 500
clients. The same sample of client users reads the same pages twice:

- in this process, through DRF's APIClient (full middleware, session auth, active client scoping);
- over HTTP, against the web server started as `make run` starts it (bench.common.start_asgi, with
  PORTAL_SQL_COUNT_HEADER=1 for the SQL count): each user logs in through the login form like a browser
  (bench.http_portal.Browser), picks its company with the client switcher, then GETs the API one request
  at a time over keep-alive. The server's CPU per request is its process tree's utime + stime, read
  before and after each endpoint's timed requests.

Reported per endpoint: p50/p95, SQL statements per request; over HTTP also the server CPU per request,
and the line `#18 targets N/M met: …` (issue #18: each read's p95 over HTTP < 20 ms). On the same data
set, customer service's client search by each handle (bench/bench_client_search.py), under "client_search".
`BENCH_READS_PYSPY=<file>` records a py-spy profile of the server during the HTTP part (collapsed
stacks, as bench_http's BENCH_HTTP_PYSPY).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from bench.common import REPO_ROOT, Skip, database_urls, in_child_process, percentiles, process_env

FULL_CLIENTS = 10_000
QUICK_CLIENTS = 500
SAMPLE_USERS = 25
IN_PROCESS_REPEATS = 3
HTTP_REPEATS = 4
P95_TARGET_MS = 20.0  # issue #18: each read's p95 over HTTP
ENDPOINTS = (
    "invoice_list_page_1",
    "invoice_list_filtered",
    "invoice_list_deep_page",
    "settlement_summary",
    "contract_schedule",
)


def sqlite_path(clients: int) -> Path:
    override = os.environ.get("PORTAL_BENCH_READS_DB")
    return Path(override) if override else REPO_ROOT / "var" / "bench" / f"reads-{clients}.sqlite3"


def seed_command_exists() -> bool:
    return any(REPO_ROOT.glob("*/management/commands/seed_demo.py")) or any(
        REPO_ROOT.glob("*/*/management/commands/seed_demo.py")
    )


def seed(env: dict[str, str], clients: int) -> float:
    """Migrate and seed the database of `env`; return the seconds it took."""
    started = time.monotonic()
    full_env = process_env(env)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--clients", str(clients), "--seed", "1"]):
        completed = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO_ROOT,
            env=full_env,
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{completed.stderr[-3000:]}")
    return time.monotonic() - started


def prepare_sqlite(clients: int) -> tuple[dict[str, str], dict]:
    path = sqlite_path(clients)
    info: dict = {"database": str(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)}
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        for leftover in path.parent.glob(partial.name + "*"):
            leftover.unlink()
        print(f"seeding {clients} clients into {path} (once; reused by later runs)...", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-seed-") as var_dir:
            env = {
                "PORTAL_VAR_DIR": var_dir,
                "SQLITE_PATH": str(partial),
                "DATABASE_URL": "",
                "REDIS_URL": "",
            }
            info["seed_seconds"] = round(seed(env, clients), 1)
        # Fold the WAL back in, so the finished file stands alone before it gets its final name.
        db = sqlite3.connect(partial)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
        db.close()
        partial.rename(path)
    else:
        info["seed_seconds"] = "reused"
    return {"SQLITE_PATH": str(path), "DATABASE_URL": "", "REDIS_URL": ""}, info


def prepare_postgresql(url: str, clients: int) -> tuple[dict[str, str], dict]:
    import psycopg

    name = f"portal_reads_{clients}"
    target = urlunparse(urlparse(url)._replace(path="/" + name))
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    complete = False
    if exists:
        with psycopg.connect(target, autocommit=True) as conn:
            complete = bool(
                conn.execute("SELECT 1 FROM pg_tables WHERE tablename = 'bench_seed_complete'").fetchone()
            )
    info: dict = {"database": name}
    if not complete:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        print(f"seeding {clients} clients into PostgreSQL {name} (once; reused by later runs)...", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-seed-") as var_dir:
            info["seed_seconds"] = round(
                seed({"PORTAL_VAR_DIR": var_dir, "DATABASE_URL": target}, clients), 1
            )
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("ANALYZE")
            conn.execute("CREATE TABLE bench_seed_complete (seeded_at timestamptz DEFAULT now())")
    else:
        info["seed_seconds"] = "reused"
    return {"DATABASE_URL": target}, info


def sample_memberships() -> list:
    """The sampled client users' memberships (the same sample for every measurement of a data set).

    Users whose role may read invoices and who log in with their password alone (client administrators
    must give a second factor), so the same people can read in this process and over HTTP.
    """
    from backend.clients.access_rules import Area, can
    from backend.clients.models import ClientMembership

    memberships = [
        membership
        for membership in ClientMembership.objects.filter(user__is_active=True, is_admin=False)
        .select_related("user")
        .order_by("id")
        if can(membership, Area.INVOICES)
    ]
    if not memberships:
        raise Skip("the seeded database has no client users")
    return random.Random(1).sample(memberships, min(SAMPLE_USERS, len(memberships)))


def read_urls(client_id: int, invoice_count: int) -> dict[str, str]:
    """The pages one user of the client reads, by label; the deep page is the last of its invoice list."""
    from django.urls import reverse

    from backend.contracts.models import Contract

    last_page = max(1, -(-invoice_count // 25))
    urls = {
        "invoice_list_page_1": "/api/invoices/",
        "invoice_list_filtered": "/api/invoices/?status=unpaid&issue_date_from=2020-01-01&ordering=-due_date",
        "invoice_list_deep_page": f"/api/invoices/?page={last_page}",
        "settlement_summary": reverse("settlement-summary"),
    }
    contract = (
        Contract.objects.filter(client_id=client_id).order_by("id").values_list("pk", flat=True).first()
    )
    if contract is not None:
        urls["contract_schedule"] = reverse("contract-schedule", kwargs={"contract_id": contract})
    return urls


def data_set_totals() -> dict[str, int]:
    from backend.clients.models import ClientMembership
    from backend.contracts.models import Contract
    from backend.invoices.models import Invoice

    return {
        "clients": ClientMembership.objects.values("client").distinct().count(),
        "invoices": Invoice.objects.count(),
        "contracts": Contract.objects.count(),
    }


def measure(env: dict[str, str]) -> dict:
    """Run in a fresh process configured for `env`: time the reads for a sample of client users."""
    from bench.common import setup_django

    with tempfile.TemporaryDirectory(prefix="bench-reads-") as var_dir:
        setup_django({"PORTAL_VAR_DIR": var_dir, **env})
        from django.db import connection
        from rest_framework.test import APIClient

        from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
        from bench.common import QueryCounter

        totals = data_set_totals()
        sample = sample_memberships()
        timings: dict[str, list[float]] = {}
        queries: dict[str, list[int]] = {}
        errors: list[str] = []
        for membership in sample:
            api = APIClient()
            api.force_login(membership.user)
            session = api.session
            session[ACTIVE_CLIENT_SESSION_KEY] = membership.client_id
            session.save()
            first = api.get("/api/invoices/")
            if first.status_code != 200:
                errors.append(f"/api/invoices/ → {first.status_code}")
                continue
            urls = read_urls(membership.client_id, first.json().get("count", 0))
            for label, url in urls.items():
                api.get(url)  # warm this user's session and the page cache of the database
                for _ in range(IN_PROCESS_REPEATS):
                    with QueryCounter(connection) as counted:
                        started = time.perf_counter()
                        response = api.get(url)
                        elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        errors.append(f"{url} → {response.status_code}")
                        continue
                    timings.setdefault(label, []).append(elapsed)
                    queries.setdefault(label, []).append(counted.count)
        result = {
            "data_set": totals,
            "users_sampled": len(sample),
            "endpoints": {label: percentiles(values) for label, values in timings.items()},
            "sql_queries_per_request": {label: max(values) for label, values in queries.items()},
            "p95_under_20_ms": all(percentiles(v)["p95_ms"] < P95_TARGET_MS for v in timings.values()),
        }
        if "contract_schedule" not in timings:
            result["contract_schedule"] = "skipped: the sampled clients have no contracts"
        if errors:
            result["errors"] = sorted(set(errors))[:20]
        return result


# --- over HTTP ------------------------------------------------------------------------------------


def measure_http(env: dict[str, str]) -> dict:
    """Run in a fresh process: start the web server on the data set of `env`, read over HTTP as the sample."""
    from bench.common import process_env, setup_django, start_asgi
    from bench.http_portal import start_profiler

    with tempfile.TemporaryDirectory(prefix="bench-reads-http-") as var_dir:
        env = {"PORTAL_VAR_DIR": var_dir, **env}
        setup_django(env)
        from django.db import connections

        from backend.demo.vocabulary import DEMO_PASSWORD

        people = [(m.user.email, m.client_id) for m in sample_memberships()]
        connections.close_all()
        logging.getLogger("httpx").setLevel(logging.WARNING)  # no log line per request
        web, base_url = start_asgi(process_env({**env, "PORTAL_SQL_COUNT_HEADER": "1"}), Path(var_dir))
        profiler = start_profiler(web.pid, os.environ.get("BENCH_READS_PYSPY"))
        try:
            figures = asyncio.run(_measure_http(web.pid, base_url, people, DEMO_PASSWORD))
        finally:
            if profiler is not None:
                profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
                profiler.wait(timeout=60)
            web.stop()
        figures["users_sampled"] = len(people)
        return figures


async def _measure_http(pid: int, base_url: str, people: list[tuple[str, int]], password: str) -> dict:
    from asgiref.sync import sync_to_async

    from bench.http_portal import Browser, tree_cpu_ms

    errors: list[str] = []
    readers: list[tuple[Browser, dict[str, str]]] = []
    try:
        for email, client_id in people:
            browser = Browser(base_url)
            readers.append((browser, {}))
            try:
                await browser.login(email, password=password)
                await _switch_client(browser, client_id)
                first, _sql = await browser.get("/api/invoices/")
            except RuntimeError as error:
                errors.append(str(error)[:200])
                continue
            readers[-1] = (browser, await sync_to_async(read_urls)(client_id, first.get("count", 0)))
        for browser, urls in readers:  # warm every session, connection and the database's page cache
            for url in urls.values():
                await browser.get(url)
        timings: dict[str, list[float]] = {}
        sql: dict[str, list[int]] = {}
        cpu_ms: dict[str, float] = {}
        for label in ENDPOINTS:
            before = tree_cpu_ms(pid)
            for browser, urls in readers:
                if label not in urls:
                    continue
                for _ in range(HTTP_REPEATS):
                    started = time.perf_counter()
                    try:
                        _body, count = await browser.get(urls[label])
                    except RuntimeError as error:
                        errors.append(str(error)[:200])
                        continue
                    timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)
                    sql.setdefault(label, []).append(count)
            if label in timings:
                cpu_ms[label] = round((tree_cpu_ms(pid) - before) / len(timings[label]), 2)
    finally:
        for browser, _urls in readers:
            await browser.close()
    endpoints = {label: percentiles(values) for label, values in timings.items()}
    figures: dict = {
        "endpoints": endpoints,
        "sql_statements_per_request": {label: sorted(set(values)) for label, values in sql.items()},
        "server_cpu_ms_per_request": cpu_ms,
        "targets": targets_line(endpoints),
    }
    if errors:
        figures["errors"] = sorted(set(errors))[:20]
    return figures


async def _switch_client(browser, client_id: int) -> None:
    """Act for this company, as the client switcher's form does (a POST with the CSRF cookie's token)."""
    csrf = browser.http.cookies.get("csrftoken", "")
    response = await browser.http.post(
        "/client/switch/",
        data={"client_id": str(client_id), "next": "/"},
        headers={"X-CSRFToken": csrf, "Referer": browser.base_url + "/"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"switch to client {client_id} → {response.status_code}")
    browser.http.cookies.delete("messages")  # the switcher's notice, never shown to an API call


def target_verdicts(endpoints: dict[str, dict]) -> list[tuple[str, bool]]:
    """Issue #18's read target for each endpoint measured: p95 over HTTP < 20 ms."""
    return [
        (f"{label} p95 {figures['p95_ms']:.1f} ms < {P95_TARGET_MS:.0f}", figures["p95_ms"] < P95_TARGET_MS)
        for label, figures in endpoints.items()
        if figures.get("n")
    ]


def targets_line(endpoints: dict[str, dict]) -> str:
    verdicts = target_verdicts(endpoints)
    met = sum(ok for _text, ok in verdicts)
    listed = "; ".join(f"{text} {'met' if ok else 'NOT met'}" for text, ok in verdicts)
    return f"#18 targets {met}/{len(verdicts)} met: {listed}"


def run(*, quick: bool) -> dict:
    if not seed_command_exists():
        raise Skip("manage.py seed_demo is not there yet")
    clients = QUICK_CLIENTS if quick else FULL_CLIENTS
    result: dict = {"clients_seeded": clients}
    for backend, url in database_urls():
        env, info = prepare_sqlite(clients) if url is None else prepare_postgresql(url, clients)
        figures = in_child_process("bench.bench_reads:measure", env)
        figures["seed"] = info
        figures["http"] = in_child_process("bench.bench_reads:measure_http", env)
        figures["client_search"] = in_child_process("bench.bench_client_search:measure", env)
        result[backend] = figures
        if "slowest_page_p95" in figures["client_search"]:
            print(
                f"{backend}: client search, slowest page p95 {figures['client_search']['slowest_page_p95']}",
                flush=True,
            )
        if "targets" in figures["http"]:
            print(f"{backend}: {figures['http']['targets']}", flush=True)
        elif "error" in figures["http"]:
            print(f"{backend} over HTTP: {figures['http']['error']}", flush=True)
    return result
