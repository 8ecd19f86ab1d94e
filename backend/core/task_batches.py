"""After-commit Celery tasks that take a list of ids, published in batches by one thread per process.

A step's commit hands its outbox ids (and an approval its pending decision document) to the worker.
One Celery message per commit cost the web process about a millisecond of CPU each on the embedded
folder broker (a file written per message), a tenth of a step, and the worker a task each: its
transaction, its reads of what the batch's events share, its mail-server session (bench/bench_http.py).
Here a commit only appends its ids; a thread of the process publishes every task's ids as one message,
at most one per `BATCH_SECONDS`: a commit after a quiet spell goes out at once, and under load the commits
of the window since the last message join the next one. Nothing is lost by waiting: the ids are
committed rows, and the beat re-drives (notifications.tasks.relay_outbox,
requests_app.tasks.redrive_decision_documents) pick up what a process that died with ids still in hand
never sent.

Eager Celery (the test suite) and BATCH_SECONDS = 0 publish at once, in the committing thread.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


class _Publisher:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[object, list[int]]] = {}
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._last_flush = float("-inf")  # time.monotonic() of the last message sent

    def add(self, task, ids: list[int]) -> None:
        with self._lock:
            _task, pending = self._pending.setdefault(task.name, (task, []))
            pending.extend(ids)
            if self._thread is None or self._pid != os.getpid():  # none yet, or a forked child's
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="task-batches", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            # At most one message per window: the commits made until the window is over join this one.
            wait = self._last_flush + batch_seconds() - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._wake.clear()
            if self.flush():
                self._last_flush = time.monotonic()

    def flush(self) -> bool:
        """Send what is held, one message per task; False when nothing was held."""
        with self._lock:
            batches, self._pending = self._pending, {}
        for name, (task, ids) in batches.items():
            _publish(task, ids, name=name)
        return bool(batches)


def _publish(task, ids: list[int], *, name: str) -> None:
    try:
        task.delay(ids)
    except Exception:  # the rows are committed; the beat's re-drive sends them within minutes
        logger.exception("Could not queue %s for ids %s", name, ids)


_publisher = _Publisher()
atexit.register(_publisher.flush)  # a clean shutdown sends what it holds; a crash leaves it to the re-drive


def batch_seconds() -> float:
    return float(getattr(settings, "TASK_BATCH_SECONDS", 0.25))


def publish_ids(task, ids: list[int]) -> None:
    """Queue `task(ids)` soon, merged with the ids other commits of this process queue meanwhile."""
    if not ids:
        return
    if settings.CELERY_TASK_ALWAYS_EAGER or batch_seconds() <= 0:
        _publish(task, list(ids), name=task.name)
        return
    _publisher.add(task, list(ids))
