"""Bench 6: memory of a web process and a Celery worker after the scenario runs many times.

One uvicorn process and one Celery worker (solo pool: one process, its RSS is the worker's) serve the
payment day change scenario from 4 concurrent HTTP clients, 10,000 times in the full run (`--quick`:
400; PORTAL_BENCH_MEMORY_SCENARIOS=N sets it). RSS (VmRSS of /proc/<pid>/status) is sampled at every tenth of the run; growth is measured from
the sample after the first tenth (warm: imports, caches, connection pools) to the end.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from bench.common import database_urls, in_child_process, rss_kb

CLIENTS = 4


async def drive(base_url: str, staff_cookies: dict, customers: list, total: int, servers: dict) -> dict:
    import httpx

    from bench.scenario import HttpPortal

    portal = HttpPortal(base_url, staff_cookies)
    done = 0
    errors: list[str] = []
    samples: list[dict] = []
    next_sample = total // 10
    lock = asyncio.Lock()

    async def one_client(http, customer) -> None:
        nonlocal done, next_sample
        while True:
            async with lock:
                if done >= total:
                    return
                done += 1
            try:
                await portal.run_scenario(http, customer)
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}"[:200])
            if done >= next_sample:
                async with lock:
                    if done >= next_sample:
                        next_sample += total // 10
                        samples.append(
                            {"scenarios": done, **{name: rss_kb(pid) for name, pid in servers.items()}}
                        )

    started = time.monotonic()
    async with httpx.AsyncClient(timeout=60) as http:
        await asyncio.gather(*(one_client(http, customer) for customer in customers))
    await asyncio.sleep(3)  # let the worker drain its queue before the last sample
    samples.append({"scenarios": done, **{name: rss_kb(pid) for name, pid in servers.items()}})
    return {
        "samples": samples,
        "errors": len(errors),
        "first_errors": sorted(set(errors))[:5],
        "seconds": round(time.monotonic() - started),
    }


def measure(url: str | None, total: int) -> dict:
    from bench.common import private_database, process_env, setup_django, start_asgi, start_worker

    with private_database(url) as env, tempfile.TemporaryDirectory(prefix="bench-logs-") as logs:
        setup_django(env)
        from django.db import connections

        from bench.scenario import make_people, session_cookies

        staff, customers = make_people(CLIENTS)
        staff_cookies = session_cookies(staff)
        for customer in customers:
            customer.cookies = session_cookies(customer.user, client_id=customer.client_id)
        connections.close_all()
        server, base_url = start_asgi(process_env(env), Path(logs))
        worker = None
        try:
            worker = start_worker(process_env(env), Path(logs))
            run = asyncio.run(
                drive(
                    base_url, staff_cookies, customers, total, {"web_kb": server.pid, "worker_kb": worker.pid}
                )
            )
        finally:
            server.stop()
            if worker is not None:
                worker.stop()
        samples = run["samples"]
        warm, last = samples[0], samples[-1]
        for name in ("web_kb", "worker_kb"):
            run[f"{name.removesuffix('_kb')}_growth_kb_after_warm_up"] = last[name] - warm[name]
            run[f"{name.removesuffix('_kb')}_rss_mb_end"] = round(last[name] / 1024, 1)
        run["scenarios"] = total
        return run


def run(*, quick: bool) -> dict:
    total = int(os.environ.get("PORTAL_BENCH_MEMORY_SCENARIOS") or (400 if quick else 10_000))
    # One back end is enough for memory: PostgreSQL when available (the scaled set-up), else SQLite.
    backend, url = database_urls()[-1]
    figures = in_child_process("bench.bench_memory:measure", url, total)
    return {backend: figures}
