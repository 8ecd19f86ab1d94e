"""Bench 2: throughput of the request scenario against one real ASGI server process (uvicorn).

1, 4 and 16 concurrent HTTP clients (asyncio + httpx), each its own client company running the payment
day change scenario (submit → ask → reply → approve) in a loop for a fixed time. Requests/s,
scenarios/s, p50/p95/p99 per request and the error count (expected: zero). SQLite, and PostgreSQL
(+ Redis when REDIS_URL is set) when DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import database_urls, in_child_process, percentiles

LEVELS = (1, 4, 16)


async def drive(base_url: str, staff_cookies: dict, customers: list, seconds: float) -> dict:
    import httpx

    from bench.scenario import HttpPortal

    portal = HttpPortal(base_url, staff_cookies)
    latencies: list[float] = []
    errors: list[str] = []
    scenarios = 0
    deadline = time.monotonic() + seconds

    async def one_client(http, customer) -> None:
        nonlocal scenarios
        while time.monotonic() < deadline:
            try:
                timings = await portal.run_scenario(http, customer)
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}"[:200])
                customer.payment_day = None  # the contract's day is unknown now; next body picks one
                await asyncio.sleep(0.05)
                continue
            latencies.extend(ms for _, ms in timings)
            scenarios += 1

    limits = httpx.Limits(max_connections=len(customers) + 2)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        started = time.monotonic()
        await asyncio.gather(*(one_client(http, customer) for customer in customers))
        elapsed = time.monotonic() - started
    return {
        "clients": len(customers),
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "scenarios_per_s": round(scenarios / elapsed, 2),
        "latency": percentiles(latencies),
        "errors": len(errors),
        "first_errors": sorted(set(errors))[:5],
    }


def measure(url: str | None, seconds: float) -> dict:
    from bench.common import private_database, process_env, setup_django, start_asgi

    with private_database(url) as env, tempfile.TemporaryDirectory(prefix="bench-logs-") as logs:
        setup_django(env)
        from django.db import connections

        from bench.scenario import make_people, session_cookies

        staff, customers = make_people(max(LEVELS))
        staff_cookies = session_cookies(staff)
        for customer in customers:
            customer.cookies = session_cookies(customer.user, client_id=customer.client_id)
        connections.close_all()
        server, base_url = start_asgi(process_env(env), Path(logs))
        try:
            asyncio.run(drive(base_url, staff_cookies, customers[:1], 3))  # warm-up
            return {
                f"{level}_clients": asyncio.run(drive(base_url, staff_cookies, customers[:level], seconds))
                for level in LEVELS
            }
        finally:
            server.stop()


def run(*, quick: bool) -> dict:
    seconds = 8 if quick else 30
    result: dict = {"server": "one uvicorn process", "seconds_per_level": seconds}
    for backend, url in database_urls():
        figures = in_child_process("bench.bench_throughput:measure", url, seconds)
        result[backend] = figures
        for level in LEVELS:
            level_figures = figures.get(f"{level}_clients")
            if level_figures:
                print(
                    f"{backend} {level:>2} clients: {level_figures['requests_per_s']} req/s, "
                    f"p95 {level_figures['latency'].get('p95_ms')} ms, errors {level_figures['errors']}",
                    flush=True,
                )
    return result
