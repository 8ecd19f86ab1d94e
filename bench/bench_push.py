"""Bench 5: live push latency — a committed stage change reaching a connected WebSocket.

A client's page is connected to /ws/portal/; the scenario runs over HTTP and every stage change the
client should see is awaited on the socket. Two clocks (same machine):
- outbox row → arrival: the event's outbox row is written inside the committing transaction
  (created_at); arrival is when the socket receives it. This is "commit → arrival" plus the rest of
  the transaction after the row was written.
- HTTP response → arrival: from the moment the acting user's request returned (negative when the
  push beat the response).
Same process: socket and action on one uvicorn process. Cross-process: the action goes to process A,
the socket is on process B. On the embedded default (SQLite, a channel layer per process) B's relay
reads the event from the outbox, woken by A's datagram (notifications/relay_wake.py; before it, by its
1-second poll). With REDIS_URL the event travels through PostgreSQL and Redis, pushed by A's relay when
A has an open socket of its own (awake), else by B's relay, woken the same way.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path

from bench.common import database_urls, in_child_process, percentiles

WAIT_SECONDS = 15


async def measure_on(
    action_url: str, socket_base: str, staff_cookies: dict, customer, iterations: int, *, staff_socket: bool
) -> dict:
    import httpx
    from websockets.asyncio.client import connect

    from bench.scenario import HttpPortal

    portal = HttpPortal(action_url, staff_cookies)
    cookie_header = "; ".join(f"{name}={value}" for name, value in customer.cookies.items())
    ws_url = socket_base.replace("http://", "ws://") + "/ws/portal/"
    arrivals: list[tuple[int, float, float]] = []  # (event id, arrival wall clock, arrival - response)
    missing = 0
    staff_header = "; ".join(f"{name}={value}" for name, value in staff_cookies.items())
    async with (
        connect(ws_url, additional_headers={"Cookie": cookie_header}, origin=socket_base) as socket,
        httpx.AsyncClient(timeout=60) as http,
    ):
        await asyncio.wait_for(socket.recv(), timeout=WAIT_SECONDS)  # hello
        drain = None
        if staff_socket:
            # A staff page open on the acting process: its relay is awake and pushes that process's
            # commits at once (through Redis when the client's socket is on another process).
            staff_ws = await connect(
                action_url.replace("http://", "ws://") + "/ws/portal/",
                additional_headers={"Cookie": staff_header},
                origin=action_url,
            )

            async def drain_staff() -> None:
                async for _ in staff_ws:
                    pass

            drain = asyncio.create_task(drain_staff())

        async def await_status(request_id: int, status: str, responded_at: float) -> None:
            nonlocal missing
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                try:
                    raw = await asyncio.wait_for(socket.recv(), timeout=deadline - time.monotonic())
                except TimeoutError:
                    break
                arrived_wall, arrived = time.time(), time.perf_counter()
                message = json.loads(raw)
                event = message.get("event") or {}
                if (
                    message.get("type") == "event"
                    and event.get("request_id") == request_id
                    and event.get("status") == status
                ):
                    arrivals.append((event["id"], arrived_wall, (arrived - responded_at) * 1000))
                    return
            missing += 1

        for _ in range(iterations):
            client = customer.cookies
            request_id = (await portal.post(http, client, "/api/requests/", customer.next_body(), 201))["id"]
            await await_status(request_id, "in_review", time.perf_counter())
            for cookies, path, body, status in (
                (
                    staff_cookies,
                    f"/api/staff/requests/{request_id}/ask-client/",
                    {"question": "Pytanie?"},
                    "waiting_for_client",
                ),
                (client, f"/api/requests/{request_id}/reply/", {"message": "Odpowiedź"}, "in_review"),
                (staff_cookies, f"/api/staff/requests/{request_id}/approve/", {}, "completed"),
            ):
                final = await portal.post(http, cookies, path, body)
                await await_status(
                    request_id, final["status"] if status == "completed" else status, time.perf_counter()
                )
        if drain is not None:
            await staff_ws.close()
            drain.cancel()
    return arrivals, missing


def summarize(arrivals: list[tuple[int, float, float]], missing: int) -> dict:
    from backend.core.models import OutboxEvent

    created = dict(
        OutboxEvent.objects.filter(pk__in=[event_id for event_id, _, _ in arrivals]).values_list(
            "pk", "created_at"
        )
    )
    from_row = [
        (wall - created[event_id].timestamp()) * 1000 for event_id, wall, _ in arrivals if event_id in created
    ]
    return {
        "stage_changes": len(arrivals),
        "missing": missing,
        "outbox_row_to_arrival": percentiles(from_row),
        "http_response_to_arrival": percentiles([after for _, _, after in arrivals]),
    }


def measure(url: str | None, iterations: int, two_processes: bool, staff_socket: bool) -> dict:
    from bench.common import private_database, process_env, setup_django, start_asgi

    with private_database(url) as env, tempfile.TemporaryDirectory(prefix="bench-logs-") as logs:
        setup_django(env)
        from django.db import connections

        from bench.scenario import make_people, session_cookies

        staff, customers = make_people(1)
        staff_cookies = session_cookies(staff)
        customer = customers[0]
        customer.cookies = session_cookies(customer.user, client_id=customer.client_id)
        connections.close_all()
        servers = []
        try:
            server_a, url_a = start_asgi(process_env(env), Path(logs), "web-a")
            servers.append(server_a)
            url_b = url_a
            if two_processes:
                server_b, url_b = start_asgi(process_env(env), Path(logs), "web-b")
                servers.append(server_b)
            options = {"staff_socket": staff_socket}
            asyncio.run(measure_on(url_a, url_b, staff_cookies, customer, 2, **options))  # warm-up
            return summarize(
                *asyncio.run(measure_on(url_a, url_b, staff_cookies, customer, iterations, **options))
            )
        finally:
            for server in servers:
                server.stop()


def run(*, quick: bool) -> dict:
    import os

    iterations = 15 if quick else 100
    result: dict = {"scenarios": iterations}
    runs = [(backend, url, "same") for backend, url in database_urls()]
    # The embedded default with two web processes (PORTAL_WEB_PROCESSES=2): action on A, socket on B,
    # nothing but the SQLite file and A's wake datagram between them (notifications/relay_wake.py).
    runs.append(("sqlite_two_processes", None, "two"))
    if os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL"):
        # Action on A, client socket on B. With a staff socket open on A, A's relay pushes at once
        # through Redis; without any socket on A, B's relay claims the event, woken by A's datagram
        # (processes on one host; on separate hosts it finds it by its 1-second poll).
        runs.append(("two_processes_redis_awake_relay", os.environ["DATABASE_URL"], "two_staff_socket"))
        runs.append(("two_processes_redis_relay_on_b", os.environ["DATABASE_URL"], "two"))
    for label, url, layout in runs:
        figures = in_child_process(
            "bench.bench_push:measure", url, iterations, layout != "same", layout == "two_staff_socket"
        )
        result[label] = figures
    return result
