"""PORTAL_SQLITE_WRITE_QUEUE=1: a process's SQLite write transactions queue on a lock handed over at
COMMIT/ROLLBACK (backend/core/sqlite_backend, #18). Tested on a database file of its own."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connections, transaction

from backend.core.sqlite_backend import base as sqlite_backend

ALIAS = "write_queue_test"


@pytest.fixture
def queued_db(tmp_path, monkeypatch, django_db_blocker):
    settings_dict = {
        **connections.settings["default"],
        "ENGINE": "backend.core.sqlite_backend",
        "NAME": str(tmp_path / "queue.sqlite3"),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 10},
    }
    monkeypatch.setitem(connections.settings, ALIAS, settings_dict)
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE row (name TEXT)")
        yield connections[ALIAS]
        connections[ALIAS].close()
        delattr(connections._connections, ALIAS)


def names(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM row ORDER BY rowid")
        return [name for (name,) in cursor.fetchall()]


def insert(connection, name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO row (name) VALUES (%s)", [name])


def lock_is_free(connection) -> bool:
    lock = sqlite_backend._write_lock(str(connection.settings_dict["NAME"]))
    if lock.acquire(blocking=False):
        lock.release()
        return True
    return False


def test_the_lock_is_held_for_the_transaction_and_freed_by_commit_and_by_rollback(queued_db):
    assert isinstance(queued_db, sqlite_backend.DatabaseWrapper)
    with transaction.atomic(using=ALIAS):
        assert not lock_is_free(queued_db)
        with transaction.atomic(using=ALIAS):  # a savepoint takes nothing more
            insert(queued_db, "a")
    assert lock_is_free(queued_db)

    with pytest.raises(RuntimeError), transaction.atomic(using=ALIAS):
        insert(queued_db, "b")
        raise RuntimeError
    assert lock_is_free(queued_db)
    assert names(queued_db) == ["a"]


def test_a_second_writer_waits_for_the_first_to_commit_and_then_runs(queued_db, django_db_blocker):
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        with django_db_blocker.unblock():
            try:
                with transaction.atomic(using=ALIAS):
                    insert(connections[ALIAS], "first")
                    inside.set()
                    release.wait(10)
                    order.append("first commits")
            finally:
                connections[ALIAS].close()

    def second() -> None:
        with django_db_blocker.unblock():
            try:
                inside.wait(10)
                with transaction.atomic(using=ALIAS):
                    order.append("second begins")
                    insert(connections[ALIAS], "second")
            finally:
                connections[ALIAS].close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(10)
    release.set()
    for thread in threads:
        thread.join(20)

    assert order == ["first commits", "second begins"]
    assert names(queued_db) == ["first", "second"]
    assert lock_is_free(queued_db)


def test_a_writer_that_waits_longer_than_the_timeout_gets_database_is_locked(queued_db, monkeypatch):
    held = sqlite_backend._write_lock(str(queued_db.settings_dict["NAME"]))
    held.acquire()
    try:
        monkeypatch.setitem(queued_db.settings_dict, "OPTIONS", {"timeout": 0.05})
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic(using=ALIAS):
            pass
    finally:
        held.release()
    assert not queued_db.in_atomic_block
    with transaction.atomic(using=ALIAS):
        insert(queued_db, "after")
    assert names(queued_db) == ["after"]
    assert lock_is_free(queued_db)


def test_closing_the_connection_inside_a_transaction_frees_the_lock(queued_db):
    with transaction.atomic(using=ALIAS):
        insert(queued_db, "x")
        queued_db.close()
    assert lock_is_free(queued_db)


def other_process_writer(connection):
    """A connection of its own, as the Celery worker's: it holds SQLite's write lock, not our Python one."""
    import sqlite3

    name = str(connection.settings_dict["NAME"])
    other = sqlite3.connect(name, isolation_level=None, timeout=10, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO row (name) VALUES ('other')")
    return other


def test_a_writer_gets_the_lock_once_another_process_commits(queued_db):
    queued_db.ensure_connection()
    other = other_process_writer(queued_db)
    threading.Timer(0.3, other.execute, args=["COMMIT"]).start()

    with transaction.atomic(using=ALIAS):  # BEGIN retries until the other writer's COMMIT
        insert(queued_db, "after the other")

    other.close()
    assert names(queued_db) == ["other", "after the other"]
    assert lock_is_free(queued_db)
    # Statements outside a transaction kept SQLite's own busy timeout (only BEGIN polls).
    assert queued_db.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000


def test_another_process_holding_the_lock_past_the_timeout_gives_database_is_locked(queued_db, monkeypatch):
    queued_db.ensure_connection()
    other = other_process_writer(queued_db)
    try:
        monkeypatch.setitem(queued_db.settings_dict, "OPTIONS", {"timeout": 0.2})
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic(using=ALIAS):
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert lock_is_free(queued_db)
    with transaction.atomic(using=ALIAS):
        insert(queued_db, "after")
    assert names(queued_db) == ["after"]
