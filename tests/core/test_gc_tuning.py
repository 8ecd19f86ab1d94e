"""The served web process and each worker process freeze their start-up objects (backend/core/gc_tuning.py)."""

from __future__ import annotations

import gc

import pytest

from backend.core.gc_tuning import freeze_startup_objects


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_start_up_objects_leave_the_collected_generations(unfrozen):
    # given
    tracked_before = len(gc.get_objects())

    # when
    frozen = freeze_startup_objects()

    # then: what the process holds after start-up is no longer walked by any collection (the count moves a
    # little meanwhile: a server thread another test left running freezes its own few objects, and a frozen
    # object that dies leaves the permanent generation — one did in a full run, 1198485 after 1198486)
    assert frozen > 10_000
    assert abs(gc.get_freeze_count() - frozen) < 1_000
    assert len(gc.get_objects()) < tracked_before - 10_000


def test_objects_made_after_start_up_are_still_collected(unfrozen):
    # given
    freeze_startup_objects()

    class Cycle:
        pass

    first, second = Cycle(), Cycle()
    first.other, second.other = second, first
    made = id(first)
    del first, second

    # when
    gc.collect()

    # then
    assert made not in {id(o) for o in gc.get_objects() if isinstance(o, Cycle)}


def test_the_served_application_is_built_with_its_start_up_objects_frozen(unfrozen):
    # given
    from backend.config import asgi

    # when
    application = asgi.serve()

    # then
    assert application is asgi.served_application
    assert gc.get_freeze_count() > 10_000


def test_a_worker_process_freezes_its_start_up_objects(unfrozen):
    # given
    from celery.signals import worker_process_init

    # when: the signal Celery sends in each worker process once it has started
    worker_process_init.send(sender=None)

    # then
    assert gc.get_freeze_count() > 10_000
