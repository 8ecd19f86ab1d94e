"""While PostgreSQL refuses connections, answer 503 at once instead of letting every request wait for the pool.

Without this, each request of an outage waits the pool's whole timeout (DATABASE_POOL_TIMEOUT) for a
connection that cannot come, and the process's HTTP threads queue behind those that wait. The circuit opens
for CIRCUIT_SECONDS as soon as the pool's own attempt to connect is refused (the pool connects with
`CircuitConnection`, backend/core/env.py), or a request fails to get a connection: DatabaseOutageMiddleware
then answers the 503 of an outage without touching the database. Requests that were already waiting for
a connection when the server went away keep waiting, up to DATABASE_POOL_TIMEOUT (psycopg's pool cannot
be told to give up on them); every request after the refusal gets its 503 at once. Once CIRCUIT_SECONDS
have passed, one request of the process tests the server with a connection of its own, outside the pool
(at most PROBE_TIMEOUT_SECONDS; a refused one fails in milliseconds): still down → the circuit stays open
for another CIRCUIT_SECONDS; up → requests go to the pool again, which reconnects within seconds
(`reconnect_timeout`, backend/core/env.py).

Only a failure to reach the server opens it (no SQLSTATE, class 08 or 57P): a locked SQLite file, a query
cancelled or a full disk stay the failure of the request that met them. Per process, like the pool.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

CIRCUIT_SECONDS = 3.0
PROBE_TIMEOUT_SECONDS = 2

_lock = threading.Lock()
_open_until = 0.0  # time.monotonic() until which requests are answered 503 at once; 0: closed
_probing = False


def is_connection_failure(exc: BaseException) -> bool:
    """The PostgreSQL server could not be reached (refused, reset, pool timeout): not a wrong query."""
    return isinstance(exc, DatabaseError) and _unreachable(exc.__cause__)


def _unreachable(cause: BaseException | None) -> bool:
    """A psycopg error of a server out of reach: no SQLSTATE (refused, reset), or class 08 / 57P."""
    if not hasattr(cause, "sqlstate") or getattr(cause, "sqlite_errorcode", None) is not None:
        return False  # SQLite or another back end: no circuit
    sqlstate = cause.sqlstate
    return sqlstate is None or sqlstate.startswith(("08", "57P"))


def note_failure(exc: BaseException) -> None:
    """Called by the three places that answer an outage: open the circuit when the server is unreachable."""
    if is_connection_failure(exc):
        _open()


def _open() -> None:
    global _open_until
    with _lock:
        if not _open_until:
            logger.warning("Database unreachable: answering 503 at once for %.0f s", CIRCUIT_SECONDS)
        _open_until = time.monotonic() + CIRCUIT_SECONDS


class CircuitConnection(psycopg.Connection):
    """The connections of psycopg's pool: a refused attempt (the pool's own, in its background thread)
    opens the circuit at once, instead of after a request has waited the pool's whole timeout. A wrong
    password or database name (SQLSTATE 28…, 3D…) does not: that is no outage to wait out."""

    @classmethod
    def connect(cls, *args: Any, **kwargs: Any) -> CircuitConnection:
        try:
            return super().connect(*args, **kwargs)
        except psycopg.OperationalError as exc:
            if _unreachable(exc):
                _open()
            raise


def reset() -> None:
    """Close the circuit (tests)."""
    global _open_until, _probing
    with _lock:
        _open_until, _probing = 0.0, False


def is_open() -> bool:
    """Cheap: whether should_refuse() may answer True (the async middleware asks before a thread hop)."""
    return bool(_open_until)


def should_refuse() -> bool:
    """True: answer this request 503 without the database. Called for each request while the circuit is open."""
    global _open_until, _probing
    if not _open_until:  # the common case, without the lock
        return False
    with _lock:
        if not _open_until:
            return False
        if _probing or time.monotonic() < _open_until:
            return True
        _probing = True  # this request tests the server; the others keep the 503 meanwhile
    reachable = _server_answers()
    with _lock:
        _probing = False
        if reachable:
            _open_until = 0.0
            logger.warning("Database reachable again: requests go to the pool")
        else:
            _open_until = time.monotonic() + CIRCUIT_SECONDS
    return not reachable


def _server_answers() -> bool:
    """A connection of its own (the pool may still be backing off), closed at once."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        import psycopg

        params = connection.get_connection_params()
        params["connect_timeout"] = PROBE_TIMEOUT_SECONDS
        with psycopg.Connection.connect(**params) as raw:
            raw.execute("SELECT 1")
    except Exception:  # any failure: still unavailable
        return False
    return True
