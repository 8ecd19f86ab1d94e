"""A WebSocket opened while Redis or the database is down is refused at the handshake with "try again
later" (1013) and one warning line naming the part, not an "Exception in ASGI application" traceback each
(notifications/consumers.py: SocketOutageGuard)."""

from __future__ import annotations

import logging
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError

from backend.accounts.session_store import SessionStore
from notifications.consumers import CLOSE_TRY_AGAIN_LATER
from tests.notifications.sockets import communicator_for, headers_for, run
from tests.scaled.conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def refused(*args, **kwargs):
    try:
        raise psycopg.OperationalError("connection refused")
    except psycopg.OperationalError as cause:
        raise OperationalError("connection refused") from cause


def open_socket(headers) -> tuple[bool, int | None]:
    async def scenario():
        communicator = communicator_for(headers)
        connected, code = await communicator.connect(timeout=10)
        await communicator.disconnect()
        return connected, code

    return run(scenario)


def problems(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_with_redis_down_the_socket_is_refused_with_one_warning(client_user, acme, settings, caplog):
    headers = headers_for(client_user, acme)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{free_port()}/0"]},  # nothing listens: refused
        }
    }

    with caplog.at_level(logging.WARNING):
        connected, code = open_socket(headers)

    assert (connected, code) == (False, CLOSE_TRY_AGAIN_LATER)
    [warning] = problems(caplog)
    assert (
        warning.levelno == logging.WARNING and "channel layer (Redis) is unavailable" in warning.getMessage()
    )
    assert warning.exc_info is None  # one line, no traceback


def test_with_the_database_down_the_socket_is_refused_with_one_warning(client_user, acme, caplog):
    headers = headers_for(client_user, acme)

    with caplog.at_level(logging.WARNING), mock.patch.object(SessionStore, "_read_session_data", refused):
        connected, code = open_socket(headers)

    assert (connected, code) == (False, CLOSE_TRY_AGAIN_LATER)
    [warning] = problems(caplog)
    assert "database is unavailable" in warning.getMessage() and warning.exc_info is None
