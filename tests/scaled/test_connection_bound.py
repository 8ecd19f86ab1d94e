"""Several hundred concurrent requests at two ASGI processes on PostgreSQL: no failure, and the number
of database connections stays bounded by the processes' pools, during the burst and after it.

Under ASGI every request runs in a thread of its own; persistent connections (CONN_MAX_AGE > 0) stayed
with those threads and piled up until PostgreSQL refused new clients. The pool (backend/core/env.py)
hands each request a connection and takes it back.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import psycopg
import pytest

from tests.factories import InvoiceFactory
from tests.scaled.conftest import database_url_of_test_db
from tests.scaled.test_two_processes import logged_in_cookies

pytestmark = pytest.mark.scaled

POOL_MAX_SIZE = 4
SERVERS = 2
REQUESTS = 400
CONCURRENCY = 80
PATHS = ("/api/invoices/", "/api/notices/unread-count/", "/api/contracts/", "/api/settlements/")


APPLICATION_NAME = "portal-burst"


class ConnectionCounter:
    """Counts the web processes' connections (named by their DATABASE_URL), not the test's own."""

    def __init__(self):
        self.sampler = psycopg.connect(database_url_of_test_db(), autocommit=True)

    def __call__(self) -> int:
        return self.sampler.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME]
        ).fetchone()[0]


async def burst(servers, cookies: dict[str, str], on_progress) -> list[int]:
    """Send REQUESTS GETs, CONCURRENCY at a time, spread over the servers; return the status codes."""
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    semaphore = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(cookies=cookies, timeout=60, limits=limits) as http:

        async def one(number: int) -> int:
            async with semaphore:
                server = servers[number % len(servers)]
                response = await http.get(server.base_url + PATHS[number % len(PATHS)])
                if number % 20 == 0:
                    on_progress()
                return response.status_code

        return await asyncio.gather(*(one(number) for number in range(REQUESTS)))


def test_concurrent_requests_keep_database_connections_bounded(
    start_portal_process, portal_env, client_user, acme, acme_contract
):
    # given: two web processes whose pools hold at most POOL_MAX_SIZE connections each
    portal_env["DATABASE_POOL_MAX_SIZE"] = str(POOL_MAX_SIZE)
    portal_env["DATABASE_URL"] += f"?application_name={APPLICATION_NAME}"
    InvoiceFactory.create_batch(5, client=acme, contract=acme_contract)
    servers = [start_portal_process("asgi", f"web-{number}") for number in range(SERVERS)]
    cookies = logged_in_cookies(client_user, client_id=acme.pk)
    bound = SERVERS * POOL_MAX_SIZE
    portal_connections = ConnectionCounter()
    seen = [portal_connections()]

    # when: several hundred requests at once
    statuses = asyncio.run(burst(servers, cookies, lambda: seen.append(portal_connections())))
    seen.append(portal_connections())

    # then: every request answered, and the connections never exceeded the pools
    assert sorted(set(statuses)) == [200], {code: statuses.count(code) for code in set(statuses)}
    assert max(seen) <= bound, seen
    assert max(seen) > 0, "the counter must see the web processes' connections"

    # and: after the burst the count does not creep up (a leak grows while nothing happens)
    time.sleep(2)
    after = portal_connections()
    assert after <= bound, after
    log = "".join(server.log_tail() for server in servers)
    assert "too many clients" not in log
    assert "Traceback" not in log
