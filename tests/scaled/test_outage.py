"""PostgreSQL really unavailable: a portal process answers 503 "try again", stays live, and recovers.

The outage must not disturb the test database other tests share, so the portal process under test runs on
its own copy of it (CREATE DATABASE ... TEMPLATE), which is then closed to connections and has its
sessions terminated (ALTER DATABASE ... ALLOW_CONNECTIONS false, pg_terminate_backend) — to the process
exactly like a database server that went away — and finally opened again.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlparse, urlunparse

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as BrowserClient

from tests.factories import InvoiceFactory

pytestmark = pytest.mark.scaled

RECOVERY_SECONDS = 30


def _maintenance(sql: str, params: tuple = ()) -> None:
    """Run `sql` outside the test database (database-level commands cannot run inside it)."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def copied_database(transactional_db):
    """A copy of the test database with everything committed so far; dropped (forcibly) afterwards."""
    source = connection.settings_dict["NAME"]
    name = f"{source}_outage_{uuid.uuid4().hex[:8]}"[:63]
    # A template database must have no other sessions: this process's own, pooled ones included.
    connection.close()
    if getattr(connection, "pool", None) is not None:
        connection.close_pool()
    _maintenance(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    yield name
    _maintenance(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _block(name: str) -> None:
    _maintenance(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    _maintenance(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )


def _unblock(name: str) -> None:
    _maintenance(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def _url_of(name: str, portal_env: dict[str, str]) -> str:
    parsed = urlparse(portal_env["DATABASE_URL"])
    return urlunparse(parsed._replace(path="/" + name))


def test_postgresql_outage_answers_503_and_the_portal_recovers(
    request, client_user, acme, portal_env, start_portal_process
):
    # given: a logged-in client and an invoice, committed, then copied into the outage database
    InvoiceFactory(client=acme)
    browser = BrowserClient()
    browser.force_login(client_user)
    cookies = {settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value}
    name = request.getfixturevalue("copied_database")
    portal_env["DATABASE_URL"] = _url_of(name, portal_env)
    server = start_portal_process("asgi", "web-outage")

    def get(path: str) -> httpx.Response:
        return httpx.get(server.base_url + path, cookies=cookies, timeout=30)

    assert get("/api/invoices/").json()["count"] == 1
    assert get("/readyz").status_code == 200

    # when: the database stops taking connections and the process's own are cut
    _block(name)
    try:
        api = get("/api/invoices/")
        started = time.monotonic()
        page = get("/invoices/")  # the process already knows: 503 at once (backend/core/db_circuit.py)
        page_seconds = time.monotonic() - started
        ready = get("/readyz")
        live = get("/healthz")
    finally:
        _unblock(name)

    # then
    assert api.status_code == 503, api.text[:500]
    assert int(api.headers["Retry-After"]) > 0
    assert set(api.json()) == {"code", "message", "fields"}
    assert api.json()["code"] == "service_unavailable"
    assert page.status_code == 503
    assert page_seconds < 2, page_seconds  # was the pool's whole timeout (10 s) for every request
    assert "Portal chwilowo niedostępny, spróbuj ponownie za chwilę" in page.text
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"]["status"] == "error"
    assert ready.json()["checks"]["channel_layer"]["status"] == "ok"
    assert ready.json()["checks"]["broker"]["status"] == "ok"
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}

    # and: once the database takes connections again, the same process answers normally
    back_at = time.monotonic()
    deadline = back_at + RECOVERY_SECONDS
    while (recovered := get("/api/invoices/")).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert recovered.status_code == 200, recovered.text[:500]
    assert time.monotonic() - back_at < 12  # the pool's reconnect delays stop at 5 s (was up to ~36 s)
    assert recovered.json()["count"] == 1
    assert get("/readyz").status_code == 200
