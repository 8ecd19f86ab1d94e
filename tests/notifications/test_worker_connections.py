"""A Celery worker process keeps its database connection from task to task (backend/config/celery.py).

Celery's Django fix-up closes the connection around every task and, in prefork workers with Django's
PostgreSQL pool, the pool itself: each task then opened a new server connection. Driven here through the
fix-up's own task signals, as the worker's task loop sends them, on SQLite and on the pooled PostgreSQL.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from backend.accounts.models import User
from backend.config.celery import _release_database_connections, app

PREFORK_WORKER = SimpleNamespace(pool_cls="celery.concurrency.prefork:TaskPool")


def _physical_connection():
    """What a new server connection would change: the raw connection, or the pool and its connect count."""
    connection.ensure_connection()
    pool = getattr(connection, "pool", None)
    if pool is not None:
        return pool, pool.get_stats().get("connections_num", 0)
    return connection.connection


def _run_task(fixup: DjangoWorkerFixup, sender) -> None:
    fixup.on_task_prerun(sender=sender)
    User.objects.filter(is_active=True).count()
    fixup.on_task_postrun(sender=sender)
    _release_database_connections(sender=sender)


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_reuses_its_database_connection_across_tasks():
    # given: a prefork worker's fix-up, configured by the portal's Celery app
    fixup = DjangoWorkerFixup(app)
    fixup.worker = PREFORK_WORKER
    task = SimpleNamespace(request=SimpleNamespace(is_eager=False))
    before = _physical_connection()

    # when: five tasks run one after another
    for _ in range(5):
        _run_task(fixup, task)

    # then: no new connection was opened (the same raw connection, or the same pool with no new connect)
    assert _physical_connection() == before
    assert connection.connection is not None


@pytest.mark.django_db(transaction=True)
def test_a_broken_connection_is_dropped_after_the_task_and_the_next_task_gets_a_working_one():
    # given
    fixup = DjangoWorkerFixup(app)
    fixup.worker = PREFORK_WORKER
    task = SimpleNamespace(request=SimpleNamespace(is_eager=False))
    connection.ensure_connection()
    connection.errors_occurred = True
    connection.is_usable = lambda: False  # what a server restart leaves behind

    # when
    fixup.on_task_postrun(sender=task)
    _release_database_connections(sender=task)
    del connection.is_usable

    # then: closed after the task, and the next task's query reconnects
    assert connection.connection is None
    _run_task(fixup, task)
    assert User.objects.count() >= 0


@pytest.mark.django_db
def test_an_eager_task_leaves_its_callers_transaction_and_connection_alone():
    # given: a task run eagerly inside a request's transaction (tests, CELERY_TASK_ALWAYS_EAGER)
    eager = SimpleNamespace(request=SimpleNamespace(is_eager=True))
    connection.ensure_connection()
    raw = connection.connection

    # when
    _release_database_connections(sender=eager)

    # then
    assert connection.connection is raw
    assert connection.in_atomic_block
