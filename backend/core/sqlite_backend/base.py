"""Django's SQLite backend whose write transactions queue on a lock of the process before BEGIN IMMEDIATE.

SQLite has one writer. A thread that finds the write lock taken waits in SQLite's busy handler, which
sleeps in growing steps (up to 100 ms) and retries, so under 4 concurrent steps a writer often slept
long after the lock was free: that is where the step's p95 went (bench/bench_http.py). Threads of one
process now wait on a Python lock instead, handed over the moment the previous transaction ends;
a BEGIN that finds another process (the Celery worker) writing retries every few milliseconds. Nothing
else changes: the same BEGIN IMMEDIATE, the same rows, and the same "database is locked" error after
OPTIONS["timeout"]. Its cursors remember their placeholder conversion per statement (cursor.py).
"""

from __future__ import annotations

import sqlite3
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

from backend.core.sqlite_backend.cursor import CursorWrapper

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _write_lock(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _start_transaction_under_autocommit(self) -> None:
        lock = _write_lock(str(self.settings_dict["NAME"]))
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not lock.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._holds_write_lock = True
        try:
            self._begin_polling(timeout)
        except BaseException:
            self._release_write_lock()
            raise

    def _begin_polling(self, timeout: float) -> None:
        """BEGIN IMMEDIATE, retried every 0.5–2 ms while another process (the worker) holds SQLite's
        write lock, instead of in SQLite's busy handler, which sleeps 1, 2, 5, 10 … 100 ms between tries
        and so kept a step waiting up to twice as long as the other process held the lock."""
        raw = self.connection
        raw.execute("PRAGMA busy_timeout = 0")  # only for BEGIN: every other statement keeps the timeout
        try:
            try:
                super()._start_transaction_under_autocommit()
                return
            except OperationalError as error:
                if "locked" not in str(error):
                    raise
            begin = "BEGIN" if self.transaction_mode is None else f"BEGIN {self.transaction_mode}"
            deadline = time.monotonic() + timeout
            pause = 0.0005
            while True:
                time.sleep(pause)
                try:
                    raw.execute(begin)  # the retries on the raw connection: one BEGIN per transaction in
                    return  # Django's statement count (bench/bench_http.py's SQL per step), as before
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() + pause > deadline:
                        raise OperationalError(*error.args) from error
                pause = min(pause * 2, 0.002)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")

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
