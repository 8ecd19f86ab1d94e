"""After-commit tasks are published in batches by one thread per process (backend/core/task_batches.py)."""

from __future__ import annotations

import threading
import time

import pytest

from backend.core import task_batches


class FakeTask:
    """A Celery task's `name` and `delay`, recording each message."""

    def __init__(self, name: str, *, fail: bool = False) -> None:
        self.name = name
        self.fail = fail
        self.messages: list[list[int]] = []
        self.published = threading.Event()

    def delay(self, ids: list[int]) -> None:
        if self.fail:
            raise ConnectionError("broker away")
        self.messages.append(list(ids))
        self.published.set()


@pytest.fixture
def batched(settings, monkeypatch):
    """A real worker's set-up (not eager) with a fresh publisher of this process."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.TASK_BATCH_SECONDS = 0.2
    monkeypatch.setattr(task_batches, "_publisher", task_batches._Publisher())
    return settings


def _open_a_window(task: FakeTask) -> None:
    """Send one message, so the commits of the next BATCH_SECONDS wait for the window's end."""
    task_batches.publish_ids(task, [0])
    assert task.published.wait(5)
    task.published.clear()


def test_the_ids_of_commits_within_the_window_go_out_as_one_message_per_task(batched):
    batched.TASK_BATCH_SECONDS = 1
    notices, documents = FakeTask("notices"), FakeTask("documents")
    _open_a_window(notices)

    task_batches.publish_ids(notices, [1, 2])
    task_batches.publish_ids(documents, [7])
    task_batches.publish_ids(notices, [3])
    assert notices.messages == [[0]]  # nothing is sent in the committing thread

    assert notices.published.wait(5) and documents.published.wait(5)
    assert notices.messages == [[0], [1, 2, 3]]
    assert documents.messages == [[7]]


def test_a_commit_after_a_quiet_spell_goes_out_at_once_and_the_next_waits_for_the_window(batched):
    batched.TASK_BATCH_SECONDS = 30
    notices = FakeTask("notices")

    task_batches.publish_ids(notices, [1])
    assert notices.published.wait(5)  # not 30 s: no message was sent in the last window
    notices.published.clear()

    task_batches.publish_ids(notices, [2])
    assert not notices.published.wait(0.5)  # held: a message went out less than 30 s ago
    assert notices.messages == [[1]]
    task_batches._publisher.flush()
    assert notices.messages == [[1], [2]]


def test_a_later_commit_gets_a_message_of_its_own(batched):
    notices = FakeTask("notices")
    task_batches.publish_ids(notices, [1])
    assert notices.published.wait(5)
    notices.published.clear()

    task_batches.publish_ids(notices, [2])

    assert notices.published.wait(5)
    assert notices.messages == [[1], [2]]


def test_eager_celery_and_a_zero_window_publish_at_once(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    eager = FakeTask("eager")
    task_batches.publish_ids(eager, [1])
    assert eager.messages == [[1]]

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.TASK_BATCH_SECONDS = 0
    unbatched = FakeTask("unbatched")
    task_batches.publish_ids(unbatched, [2])
    task_batches.publish_ids(unbatched, [3])
    assert unbatched.messages == [[2], [3]]


def test_a_broker_failure_is_logged_and_the_next_batch_still_goes_out(batched, caplog):
    broken, notices = FakeTask("broken", fail=True), FakeTask("notices")
    task_batches.publish_ids(broken, [1])
    task_batches.publish_ids(notices, [2])

    assert notices.published.wait(5)
    deadline = time.monotonic() + 5
    while "Could not queue broken" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "Could not queue broken for ids [1]" in caplog.text
    assert notices.messages == [[2]]


def test_a_flush_sends_what_is_held_at_once(batched):
    batched.TASK_BATCH_SECONDS = 30  # the thread would wait half a minute
    notices = FakeTask("notices")
    _open_a_window(notices)
    task_batches.publish_ids(notices, [4, 5])

    task_batches._publisher.flush()  # what the process's exit does (atexit)

    assert notices.messages == [[0], [4, 5]]
