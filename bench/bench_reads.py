"""Bench 3: reads at scale — the 10,000-client / ~1,000,000-invoice data set.

The data set is seeded once (`manage.py seed_demo --clients N --seed 1`) into a dedicated database and
reused by later runs: SQLite file var/bench/reads-<N>.sqlite3 (override with PORTAL_BENCH_READS_DB),
and with DATABASE_URL set a PostgreSQL database portal_reads_<N> on that server. `--quick` uses 500
clients. Each read goes through DRF's APIClient in this process (full middleware, session auth, active
client scoping) as a sample of client users; p50/p95 per endpoint and SQL queries per request.
Target: p95 < 50 ms.
"""

from __future__ import annotations

import os
import random
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


def measure(env: dict[str, str]) -> dict:
    """Run in a fresh process configured for `env`: time the reads for a sample of client users."""
    from bench.common import setup_django

    with tempfile.TemporaryDirectory(prefix="bench-reads-") as var_dir:
        setup_django({"PORTAL_VAR_DIR": var_dir, **env})
        from django.db import connection
        from django.urls import NoReverseMatch, reverse
        from rest_framework.test import APIClient

        from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
        from backend.clients.models import ClientMembership
        from backend.contracts.models import Contract
        from backend.invoices.models import Invoice
        from bench.common import QueryCounter

        totals = {"clients": ClientMembership.objects.values("client").distinct().count()}
        totals["invoices"] = Invoice.objects.count()
        totals["contracts"] = Contract.objects.count()
        memberships = list(
            ClientMembership.objects.filter(user__is_active=True).select_related("user").order_by("id")
        )
        if not memberships:
            raise Skip("the seeded database has no client users")
        sample = random.Random(1).sample(memberships, min(SAMPLE_USERS, len(memberships)))

        def schedule_url(contract_id: int) -> str | None:
            for name in ("contract-schedule", "contract-detail"):
                try:
                    return reverse(name, kwargs={"contract_id": contract_id})
                except NoReverseMatch:
                    continue
            return None

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
            count = first.json().get("count", 0)
            last_page = max(1, -(-count // 25))
            contract = Contract.objects.filter(client_id=membership.client_id).order_by("id").first()
            urls = {
                "invoice_list_page_1": "/api/invoices/",
                "invoice_list_filtered": "/api/invoices/?status=unpaid&issue_date_from=2020-01-01&ordering=-due_date",
                "invoice_list_deep_page": f"/api/invoices/?page={last_page}",
                "settlement_summary": reverse("settlement-summary"),
            }
            if contract is not None and schedule_url(contract.pk):
                urls["contract_schedule"] = schedule_url(contract.pk)
            for label, url in urls.items():
                api.get(url)  # warm this user's session and the page cache of the database
                for _ in range(3):
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
            "p95_under_50_ms": all(percentiles(v)["p95_ms"] < 50 for v in timings.values()),
        }
        if "contract_schedule" not in timings:
            result["contract_schedule"] = "skipped: no contract schedule API (contract-schedule) yet"
        if errors:
            result["errors"] = sorted(set(errors))[:20]
        return result


def run(*, quick: bool) -> dict:
    if not seed_command_exists():
        raise Skip("manage.py seed_demo is not there yet")
    clients = QUICK_CLIENTS if quick else FULL_CLIENTS
    result: dict = {"clients_seeded": clients}
    for backend, url in database_urls():
        env, info = prepare_sqlite(clients) if url is None else prepare_postgresql(url, clients)
        figures = in_child_process("bench.bench_reads:measure", env)
        figures["seed"] = info
        result[backend] = figures
    return result
