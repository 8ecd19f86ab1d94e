"""While PostgreSQL refuses connections, requests answer 503 at once instead of each waiting the pool's
timeout; once the server answers again, requests go through (backend/core/db_circuit.py).

Here on SQLite: a refused PostgreSQL connection is simulated where the request first meets the database,
reading the session; the circuit's own test connection is replaced by a switch."""

from __future__ import annotations

import time
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError
from django.test import Client
from rest_framework.test import APIClient

from backend.accounts.session_store import SessionStore
from backend.core import db_circuit
from backend.core.env import database_from_url
from tests.logged_in_clients import answering_errors_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _closed_circuit():
    db_circuit.reset()
    yield
    db_circuit.reset()


def refused(*args, **kwargs):
    """What Django raises when psycopg's pool could not connect: no SQLSTATE, the server never answered."""
    try:
        raise psycopg.OperationalError("connection refused")
    except psycopg.OperationalError as cause:
        raise OperationalError("connection refused") from cause


def test_after_a_refused_connection_requests_answer_503_at_once_until_the_server_is_back(client_user, acme):
    api = answering_errors_as(APIClient, client_user)
    browser = answering_errors_as(Client, client_user)
    reads = mock.Mock(side_effect=refused)

    # given: the database refuses a request's connection
    with mock.patch.object(SessionStore, "_read_session_data", reads):
        first = api.get("/api/invoices/")
    assert first.status_code == 503
    assert reads.call_count == 1

    # when: more requests come while the server is still away (the circuit's test says so)
    with (
        mock.patch.object(db_circuit, "_server_answers", return_value=False) as probe,
        mock.patch.object(SessionStore, "_read_session_data", reads),
    ):
        started = time.monotonic()
        page = browser.get("/invoices/")
        again = api.get("/api/invoices/")
        elapsed = time.monotonic() - started
        static = browser.get("/static/portal_ui/portal.css")

    # then: both answered the outage without waiting for a connection, in the shape of each
    assert page.status_code == 503 and "Portal chwilowo niedostępny" in page.content.decode()
    assert again.status_code == 503 and again.json()["code"] == "service_unavailable"
    assert int(again["Retry-After"]) > 0
    assert reads.call_count == 1  # nobody went to the database
    assert probe.call_count == 0  # within the first seconds, not even the circuit's test
    assert elapsed < 1
    assert static.status_code == 200  # the outage page's style still loads

    # and: once the circuit's seconds are over and the server answers, requests go through again
    db_circuit._open_until = time.monotonic() - 1
    with mock.patch.object(db_circuit, "_server_answers", return_value=True):
        back = api.get("/api/invoices/")
    assert back.status_code == 200
    assert api.get("/api/invoices/").status_code == 200


def test_the_circuit_stays_open_while_its_test_connection_fails(client_user, acme):
    api = answering_errors_as(APIClient, client_user)
    with mock.patch.object(SessionStore, "_read_session_data", side_effect=refused):
        assert api.get("/api/invoices/").status_code == 503

    with mock.patch.object(db_circuit, "_server_answers", return_value=False) as probe:
        db_circuit._open_until = time.monotonic() - 1  # the circuit's seconds are over
        assert api.get("/api/invoices/").status_code == 503  # tested: still down
        assert api.get("/api/invoices/").status_code == 503  # and open again for its seconds
    assert probe.call_count == 1


def test_a_locked_sqlite_file_or_a_wrong_query_does_not_open_the_circuit(client_user, acme):
    api = answering_errors_as(APIClient, client_user)

    with mock.patch.object(
        SessionStore, "_read_session_data", side_effect=OperationalError("database is locked")
    ):
        assert api.get("/api/invoices/").status_code == 503

    assert not db_circuit.is_open()
    assert api.get("/api/invoices/").status_code == 200


def test_the_pool_reconnects_within_seconds_and_checks_a_connection_as_it_hands_it_out():
    entry = database_from_url("postgres://portal:pw@db.example/portal")

    pool = entry["OPTIONS"]["pool"]
    assert pool["timeout"] == 10  # README: a request waits up to 10 s for a free connection
    assert pool["reconnect_timeout"] <= 5  # psycopg's default, 5 min of doubling delays, took 36 s to recover
    assert entry["CONN_HEALTH_CHECKS"] is True  # Django then passes the pool's check on checkout
    assert database_from_url("postgres://p@h/d", pool_timeout=3)["OPTIONS"]["pool"]["timeout"] == 3


def test_the_pools_refused_connection_opens_the_circuit_at_once(client_user, acme):
    """The pool's own attempt (in its background thread) is refused: the requests from then on answer 503
    at once, without each waiting the pool's timeout first."""
    from backend.core.db_circuit import CircuitConnection
    from tests.scaled.conftest import free_port

    pool = database_from_url("postgres://portal:pw@127.0.0.1/portal")["OPTIONS"]["pool"]
    assert pool["connection_class"] is CircuitConnection  # what Django's pool connects with

    # when: the server refuses the pool's connection (nothing listens on the port)
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        CircuitConnection.connect(host="127.0.0.1", port=free_port(), dbname="portal", connect_timeout=2)

    # then: the circuit is open, and a request answers 503 without going to the database
    assert time.monotonic() - started < 2
    assert db_circuit.is_open()
    api = answering_errors_as(APIClient, client_user)
    reads = mock.Mock(side_effect=AssertionError("went to the database"))
    with (
        mock.patch.object(db_circuit, "_server_answers", return_value=False),
        mock.patch.object(SessionStore, "_read_session_data", reads),
    ):
        response = api.get("/api/invoices/")
    assert response.status_code == 503 and response.json()["code"] == "service_unavailable"
    reads.assert_not_called()


def test_a_wrong_password_does_not_open_the_circuit():
    from backend.core.db_circuit import CircuitConnection

    error = psycopg.OperationalError("password authentication failed")
    with (
        mock.patch.object(psycopg.Connection, "connect", side_effect=error),
        mock.patch.object(psycopg.OperationalError, "sqlstate", "28P01"),
        pytest.raises(psycopg.OperationalError),
    ):
        CircuitConnection.connect(host="db.example")
    assert not db_circuit.is_open()
