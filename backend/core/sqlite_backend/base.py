"""Django's SQLite backend whose write transactions queue on a lock of the process before BEGIN IMMEDIATE.

SQLite has one writer. A thread that finds the write lock taken waits in SQLite's busy handler, which
sleeps in growing steps (up to 100 ms) and retries, so under 4 concurrent steps a writer often slept
long after the lock was free: that is where the step's p95 went (bench/bench_http.py). Threads of one
process now wait on a Python lock instead, handed over the moment the previous transaction ends;
other processes (the Celery worker) still meet SQLite's own busy handling. Nothing else changes: the
same BEGIN IMMEDIATE, the same rows, and the same "database is locked" error after OPTIONS["timeout"].
"""

from __future__ import annotations

import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _write_lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _start_transaction_under_autocommit(self) -> None:
        lock = _write_lock(str(self.settings_dict["NAME"]))
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not lock.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _set_autocommit(self, autocommit: bool) -> None:
        super()._set_autocommit(autocommit)
        if autocommit:  # the end of an atomic block: after its COMMIT or ROLLBACK
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_write_lock()

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            _write_lock(str(self.settings_dict["NAME"])).release()
