"""The embedded broker (backend/config/folder_broker.py): a worker never reads a message before it is whole,
and an unreadable message is logged and passed over instead of stopping the worker."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from kombu import Connection
from kombu.transport import filesystem
from kombu.transport.virtual.base import Empty

from backend.config import folder_broker
from backend.config.celery import app

QUEUE = "celery"
PAYLOAD = {"body": "x" * 20_000, "properties": {}}


@pytest.fixture(autouse=True)
def slow_writes(monkeypatch):
    """Each message takes 10 ms between its file's creation and its bytes (a busy host, a large batch):
    the window in which kombu's own transport lets a receiver take an empty file."""
    from kombu.utils.json import dumps

    def slow_dumps(payload):
        time.sleep(0.01)
        return dumps(payload)

    monkeypatch.setattr(filesystem, "dumps", slow_dumps)
    monkeypatch.setattr(folder_broker, "dumps", slow_dumps)


def connection(folder: Path, transport) -> Connection:
    return Connection(
        "filesystem://",
        transport=transport,
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
        },
    )


def race(folder: Path, transport, messages: int = 30) -> tuple[int, list[str]]:
    """A sender and a receiver on the same folder at once (two processes in life): messages read, errors."""
    folder.mkdir(exist_ok=True)
    received, errors = 0, []
    sent = threading.Event()

    def send() -> None:
        with connection(folder, transport) as sender:
            channel = sender.default_channel
            for number in range(messages):
                channel._put(QUEUE, {**PAYLOAD, "number": number})
        sent.set()

    sender = threading.Thread(target=send)
    with connection(folder, transport) as receiver:
        channel = receiver.default_channel
        sender.start()
        while received < messages:
            try:
                message = channel._get(QUEUE)
            except Empty:
                if sent.is_set() and not any(folder.glob(f"*.{QUEUE}.msg")):
                    break  # everything sent and nothing left to read
                continue
            except ValueError as error:  # what stopped the Celery worker
                errors.append(str(error))
                continue
            assert message["body"] == PAYLOAD["body"]
            received += 1
    sender.join()
    return received, errors


def test_the_portal_uses_this_transport_for_the_folder_broker():
    if settings.CELERY_BROKER_URL != "filesystem://":
        pytest.skip("the scaled configuration uses Redis")
    assert app.conf.broker_transport == "backend.config.folder_broker:Transport"
    with app.connection_for_write() as connection_:
        assert connection_.transport_cls is folder_broker.Transport or isinstance(
            connection_.transport, folder_broker.Transport
        )


def test_a_receiver_racing_a_sender_reads_every_message_whole(tmp_path):
    received, errors = race(tmp_path, folder_broker.Transport)

    assert errors == []
    assert received == 30
    assert not list(tmp_path.glob(f"{folder_broker.PARTIAL_PREFIX}*"))  # every message was renamed in


def test_kombus_own_transport_loses_that_race(tmp_path):
    """Why the portal has its own: the same race on kombu's transport reads half-written messages."""
    received, errors = race(tmp_path, filesystem.Transport)

    assert errors  # "Expecting value": what stopped the worker
    assert received < 30  # and the messages it took too early are lost


def test_an_unreadable_message_is_logged_and_the_next_one_is_read(tmp_path, caplog):
    with connection(tmp_path, folder_broker.Transport) as conn:
        channel = conn.default_channel
        (tmp_path / f"1_half-written.{QUEUE}.msg").write_bytes(b"")  # left by a process that died
        channel._put(QUEUE, {"body": "next"})

        assert channel._get(QUEUE)["body"] == "next"
        with pytest.raises(Empty):
            channel._get(QUEUE)

    assert "Skipped an unreadable message of queue 'celery'" in caplog.text
