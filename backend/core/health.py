"""Readiness checks: can this process reach the database, the channel layer and the Celery broker, and
has a Celery worker been seen lately (reported, not gating: ADVISORY_CHECKS)?

Each check answers within a couple of seconds and never raises. Its message names only the kind of failure
(the exception class): the probe is anonymous, so host names and credentials stay in the server log.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from backend.core.models import WorkerHeartbeat
from backend.core.tasks import WORKER

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"status": "ok" if self.ok else "error", "message": self.message}


def _failed(name: str, exc: BaseException) -> CheckResult:
    logger.warning("Readiness check %s failed: %r", name, exc)
    return CheckResult(False, f"{name} unavailable ({type(exc).__name__})")


def check_database() -> CheckResult:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        pool = getattr(connection, "pool", None)
        if pool is not None and connection.connection is None:
            # PostgreSQL with psycopg's pool: ask it directly, so a probe waits seconds, not the pool's
            # own timeout for requests, when no connection can be had.
            pool.open()
            with pool.connection(timeout=CHECK_TIMEOUT_SECONDS) as raw:
                raw.execute("SELECT 1").fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"; the probe itself must answer
        return _failed("database", exc)
    return CheckResult(True, "SELECT 1 answered")


def check_channel_layer() -> CheckResult:
    """Redis: PING. In-memory layer: a message sent to a fresh channel comes back."""
    try:
        if settings.REDIS_URL:
            import redis

            client = redis.Redis.from_url(
                settings.REDIS_URL,
                socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
                socket_timeout=CHECK_TIMEOUT_SECONDS,
            )
            try:
                client.ping()
            finally:
                client.close()
            return CheckResult(True, "Redis answered PING")
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            return CheckResult(False, "channel layer not configured")

        async def round_trip() -> None:
            channel = await layer.new_channel("readyz.")
            await layer.send(channel, {"type": "readyz.ping"})
            await asyncio.wait_for(layer.receive(channel), timeout=CHECK_TIMEOUT_SECONDS)

        async_to_sync(round_trip)()
    except Exception as exc:
        return _failed("channel layer", exc)
    return CheckResult(True, "test message sent and received")


def check_broker() -> CheckResult:
    """Filesystem broker: its folder takes a file. Any other: kombu connects within the timeout."""
    try:
        if settings.CELERY_BROKER_URL.startswith("filesystem://"):
            folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".readyz-"):
                pass
            return CheckResult(True, "broker folder writable")
        from celery import current_app  # the portal's app (backend.config.celery), set up at start

        connection = current_app.connection_for_write(connect_timeout=CHECK_TIMEOUT_SECONDS)
        try:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=CHECK_TIMEOUT_SECONDS
            )
        finally:
            connection.release()
    except Exception as exc:
        return _failed("broker", exc)
    return CheckResult(True, "broker connection established")


# Beat queues the heartbeat every minute (backend/core/tasks.py); three missed beats mean no worker runs.
WORKER_STALE_AFTER = timedelta(minutes=3)


@dataclass(frozen=True)
class WorkerState:
    ok: bool
    seen_at: datetime | None
    minutes: int  # since the last heartbeat (0 when never seen or when tasks run eagerly)
    message: str


def worker_state() -> WorkerState:
    """Whether a Celery worker ran beat's heartbeat lately (eager tasks run in the calling process)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return WorkerState(True, None, 0, "tasks run in the calling process (eager)")
    seen_at = WorkerHeartbeat.objects.filter(name=WORKER).values_list("seen_at", flat=True).first()
    if seen_at is None:
        return WorkerState(False, None, 0, "worker not seen yet (no heartbeat)")
    age = timezone.now() - seen_at
    minutes = max(int(age.total_seconds() // 60), 0)
    if age > WORKER_STALE_AFTER:
        return WorkerState(False, seen_at, minutes, f"worker not seen for {minutes} min")
    return WorkerState(True, seen_at, minutes, f"worker seen {minutes} min ago")


def check_worker() -> CheckResult:
    try:
        state = worker_state()
    except Exception as exc:
        return _failed("worker heartbeat", exc)
    return CheckResult(state.ok, state.message)


READINESS_CHECKS = {
    "database": check_database,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
    "worker": check_worker,
}
# Reported, but not a reason to take this web process out of service: it still answers every page, and
# a stopped worker would otherwise take down every web replica with it. The answer says "degraded".
ADVISORY_CHECKS = frozenset({"worker"})


def readiness() -> tuple[bool, dict[str, dict[str, str]]]:
    """Run every check; return whether all that gate readiness passed and each one's result by name."""
    results = {name: check() for name, check in READINESS_CHECKS.items()}
    ready = all(result.ok for name, result in results.items() if name not in ADVISORY_CHECKS)
    return ready, {name: result.as_dict() for name, result in results.items()}
