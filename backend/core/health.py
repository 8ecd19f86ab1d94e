"""Readiness checks: can this process reach the database, the channel layer and the Celery broker, and
has a Celery worker been seen lately, can the API's rate limits be counted, does the file storage take a
file (the last three reported, not gating: ADVISORY_CHECKS)? /readyz and the admin dashboard both run
`system_checks()`: one list, one verdict.

Each check answers within a couple of seconds and never raises: every connection it opens has a connect and
a read timeout, so a server that accepts and never answers (a hung Redis) fails it too. Its message names
only the kind of failure (the exception class): the probe is anonymous, so host names and credentials stay
in the server log. The worker's heartbeat is not read while the database check fails (it would wait for the
pool's timeout). /readyz's answer is shared per process: a run's result serves READINESS_CACHE_SECONDS,
and callers arriving during a run get the previous result at once (or wait for that run when there is
none), so a burst of probes runs the checks once and cannot hold every HTTP thread.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backend.core.models import WorkerHeartbeat
from backend.core.tasks import WORKER
from backend.core.throttling import check_store

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

        # The read timeout too: kombu's Redis transport PINGs on connect, and a hung server would hold that
        # PING (and this thread) for good.
        connection = current_app.connection_for_write(
            settings.CELERY_BROKER_URL,
            connect_timeout=CHECK_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": CHECK_TIMEOUT_SECONDS,
                "socket_timeout": CHECK_TIMEOUT_SECONDS,
            },
        )
        try:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=CHECK_TIMEOUT_SECONDS
            )
        finally:
            connection.release()
    except Exception as exc:
        return _failed("broker", exc)
    return CheckResult(True, "broker connection established")


def check_file_storage() -> CheckResult:
    """MEDIA_ROOT takes a file with content: a full disk accepts an empty file and refuses its first block."""
    try:
        # The folder, as the storage makes it at its first file.
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".readyz-") as probe:
            probe.write(b"\0" * 4096)
            probe.flush()
    except Exception as exc:
        return _failed("file storage", exc)
    return CheckResult(True, "file storage writable")


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
    # In the reader's language: the dashboard shows these words; /readyz reads them in English (readiness).
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return WorkerState(True, None, 0, gettext("tasks run in the calling process (eager)"))
    seen_at = WorkerHeartbeat.objects.filter(name=WORKER).values_list("seen_at", flat=True).first()
    if seen_at is None:
        return WorkerState(False, None, 0, gettext("worker not seen yet (no heartbeat)"))
    age = timezone.now() - seen_at
    minutes = max(int(age.total_seconds() // 60), 0)
    if age > WORKER_STALE_AFTER:
        message = gettext("worker not seen for %(n)d min")
        return WorkerState(False, seen_at, minutes, message % {"n": minutes})
    message = gettext("worker seen %(n)d min ago")
    return WorkerState(True, seen_at, minutes, message % {"n": minutes})


def check_worker() -> CheckResult:
    try:
        state = worker_state()
    except Exception as exc:
        return _failed("worker heartbeat", exc)
    return CheckResult(state.ok, state.message)


def check_rate_limits() -> CheckResult:
    """The API's throttle counters (Redis, or files in var/): without them the limits fail open."""
    try:
        check_store()
    except Exception as exc:
        return _failed("rate limit counters", exc)
    return CheckResult(True, "counters readable")


READINESS_CHECKS = {
    "database": check_database,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
    "worker": check_worker,
    "rate_limits": check_rate_limits,
    "file_storage": check_file_storage,
}
# Reported, but not a reason to take this web process out of service: it still answers every page, and
# a stopped worker would otherwise take down every web replica with it. The answer says "degraded".
# Without the throttle's counters the API works uncounted (backend/core/throttling.py).
# A full or read-only file store refuses uploads and decision documents, but every page still answers.
ADVISORY_CHECKS = frozenset({"worker", "rate_limits", "file_storage"})

# For the admin dashboard: what each part is and what its failure means, in an operator's words.
CHECK_LABELS: dict[str, tuple[Promise, Promise]] = {
    "database": (_("Database"), _("pages and the API ask users to try again in a moment")),
    "channel_layer": (
        _("Live updates (channel layer)"),
        _("open pages are not updated and show that live updates are paused"),
    ),
    "broker": (
        _("Task queue (Celery broker)"),
        _("e-mails, notices and decision documents wait until it is back"),
    ),
    "worker": (_("Background worker"), _("e-mails, documents and timers wait")),
    "rate_limits": (_("API rate limit counters"), _("API actions are served without their per-user limits")),
    "file_storage": (
        _("File storage (uploads and documents)"),
        _("uploads are refused and decision documents wait until it takes files again"),
    ),
}


@dataclass(frozen=True)
class NamedCheck:
    name: str  # as in /readyz
    label: Promise
    impact: Promise  # what a failure means
    ok: bool
    message: str  # /readyz's message: the kind of failure, never a host or a credential
    gating: bool  # a failure takes the process out of service (/readyz 503)


def system_checks(*, worker: WorkerState | None = None) -> list[NamedCheck]:
    """Run every readiness check once, in READINESS_CHECKS' order; `worker`: the heartbeat the caller read
    already (the dashboard shows it in detail), so it is not read twice."""
    checks: list[NamedCheck] = []
    for name, check in READINESS_CHECKS.items():
        if name == "worker" and worker:
            result = CheckResult(worker.ok, worker.message)
        elif name == "worker" and any(done.name == "database" and not done.ok for done in checks):
            # The heartbeat is a row in the database that just failed: reading it would wait for the pool.
            result = CheckResult(False, gettext("worker state unknown: the database is unavailable"))
        else:
            result = check()
        label, impact = CHECK_LABELS[name]
        checks.append(NamedCheck(name, label, impact, result.ok, result.message, name not in ADVISORY_CHECKS))
    return checks


Readiness = tuple[bool, dict[str, dict[str, str]]]

# How long one run of the checks may take at most: each connection's timeouts, summed with some room.
READINESS_WAIT_SECONDS = 15.0
_readiness_lock = threading.Lock()  # held by the one thread of this process that runs the checks
_last_readiness: tuple[float, Readiness] | None = None  # (time.monotonic() of the run, its answer)


def readiness(*, max_age: float | None = None) -> Readiness:
    """Whether all checks that gate readiness passed, and each one's result by name: the run of this
    process's checks that ended less than `max_age` (READINESS_CACHE_SECONDS) ago, or a new one (see
    the module).

    In English whatever the site's language: the answer is read by probes and their logs, not people."""
    global _last_readiness
    last = _last_readiness
    fresh_for = settings.READINESS_CACHE_SECONDS if max_age is None else max_age
    if last is not None and time.monotonic() - last[0] < fresh_for:
        return last[1]
    # Another thread running the checks: its previous answer at once, so probes never queue behind it.
    waits = last is None
    if not _readiness_lock.acquire(blocking=waits, timeout=READINESS_WAIT_SECONDS if waits else -1):
        if last is not None:
            return last[1]
        return False, {name: CheckResult(False, "check still running").as_dict() for name in READINESS_CHECKS}
    try:
        current = _last_readiness
        if current is not None and current is not last:  # the run this caller waited for has just answered
            return current[1]
        with translation.override("en"):
            checks = system_checks()
        ready = all(check.ok for check in checks if check.gating)
        answer = ready, {check.name: CheckResult(check.ok, check.message).as_dict() for check in checks}
        _last_readiness = (time.monotonic(), answer)
        return answer
    finally:
        _readiness_lock.release()


def forget_readiness() -> None:
    """Drop the shared answer (tests)."""
    global _last_readiness
    _last_readiness = None
