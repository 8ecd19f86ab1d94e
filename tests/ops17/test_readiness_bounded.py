"""/readyz answers in seconds whatever hangs, and a burst of probes cannot hold every HTTP thread
(backend/core/health.py): each connection a check opens has a read timeout, a failed database check skips
the worker's heartbeat (a row of that database), and one process runs the checks once for many callers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from unittest import mock

import pytest
from django.test import Client

from backend.core import health
from backend.core.health import CheckResult
from tests.concurrency import released_together

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_answer():
    health.forget_readiness()
    yield
    health.forget_readiness()


@pytest.fixture
def hung_redis() -> Iterator[str]:
    """A server that accepts connections and never answers: Redis stopped with SIGSTOP."""
    server = socket.create_server(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    server.close()


@pytest.fixture
def redis_transport() -> Iterator[None]:
    """The embedded configuration names the folder transport, whatever the URL; the scaled one names none."""
    from celery import current_app

    transport = current_app.conf.broker_transport
    current_app.conf.broker_transport = None
    yield
    current_app.conf.broker_transport = transport


def test_readyz_answers_within_seconds_while_redis_accepts_and_never_answers(
    settings, redis_transport, hung_redis
):
    settings.REDIS_URL = hung_redis
    settings.CELERY_BROKER_URL = hung_redis
    answers: list = []

    # when: /readyz, in a thread the test can give up on (before the fix the broker's PING waited for good)
    started = time.monotonic()
    probe = threading.Thread(target=lambda: answers.append(Client().get("/readyz")), daemon=True)
    probe.start()
    probe.join(timeout=30)

    # then: a 503 within seconds naming the two parts behind Redis, the database still fine
    assert not probe.is_alive(), "/readyz did not answer within 30 s"
    assert time.monotonic() - started < 10
    response = answers[0]
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["channel_layer"]["status"] == "error"
    assert checks["broker"]["status"] == "error"
    assert checks["database"]["status"] == "ok"


def test_with_the_database_down_the_worker_heartbeat_is_not_read(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a real worker: its heartbeat is a database row
    down = mock.patch.dict(
        health.READINESS_CHECKS,
        {"database": lambda: CheckResult(False, "database unavailable (PoolTimeout)")},
    )
    with down, mock.patch.object(health, "worker_state", side_effect=AssertionError("read")) as heartbeat:
        response = Client().get("/readyz")

    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker == {"status": "error", "message": "worker state unknown: the database is unavailable"}
    heartbeat.assert_not_called()


def test_a_burst_of_probes_runs_the_checks_once_and_callers_during_a_run_do_not_wait(settings):
    settings.READINESS_CACHE_SECONDS = 2
    runs: list[str] = []
    release = threading.Event()
    release.set()

    def slow_check() -> CheckResult:
        runs.append("run")
        release.wait(timeout=10)
        time.sleep(0.3)
        return CheckResult(True, "fine")

    with mock.patch.dict(health.READINESS_CHECKS, dict.fromkeys(health.READINESS_CHECKS, slow_check)):
        # given: 20 probes at the same moment, no answer yet: one run, its answer shared
        answers = released_together([health.readiness] * 20)
        assert len(runs) == len(health.READINESS_CHECKS)
        assert all(answer == answers[0] for answer in answers) and answers[0][0] is True

        # and: within the cache's seconds, no run at all
        health.readiness()
        assert len(runs) == len(health.READINESS_CHECKS)

        # when: the answer has aged and a run hangs, another probe gets the previous answer at once
        settings.READINESS_CACHE_SECONDS = 0
        release.clear()
        running = threading.Thread(target=health.readiness, daemon=True)
        running.start()
        while len(runs) == len(health.READINESS_CHECKS):
            time.sleep(0.01)
        started = time.monotonic()
        answer = health.readiness()
        waited = time.monotonic() - started
        release.set()
        running.join(timeout=10)

    assert answer == answers[0]
    assert waited < 0.2
