"""The wake of other processes' push relays and their session control (notifications/relay_wake.py)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from notifications import relay_wake
from tests.notifications.sockets import run

REPO_ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 30


@pytest.fixture
def var_dir(settings, tmp_path):
    """A var directory of this test's own, so no other test's relay shares the folder."""
    settings.VAR_DIR = tmp_path / "var"
    relay_wake.folder.cache_clear()
    yield settings.VAR_DIR
    relay_wake.folder.cache_clear()


class Heard:
    def __init__(self) -> None:
        self.wakes = 0
        self.session_messages: list[tuple[str, dict]] = []
        self.changed = asyncio.Event()

    def wake(self) -> None:
        self.wakes += 1
        self.changed.set()

    def session_message(self, group: str, message: dict) -> None:
        self.session_messages.append((group, message))
        self.changed.set()


def in_another_process(var_dir: Path, code: str) -> None:
    env = dict(os.environ, PORTAL_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="backend.config.settings")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    script = "import django; django.setup(); from notifications import relay_wake; " + code
    subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, check=True, timeout=120)


def test_a_commit_in_another_process_wakes_the_relay_and_a_logout_there_reaches_it(var_dir):
    async def scenario() -> Heard:
        heard = Heard()
        listener = relay_wake.listen(asyncio.get_running_loop(), heard.wake, heard.session_message)
        assert listener is not None
        try:
            await asyncio.to_thread(
                in_another_process,
                var_dir,
                "relay_wake.wake_other_processes(); "
                "relay_wake.send_session_message('session.abc', {'type': 'session.ended'})",
            )
            while not (heard.wakes and heard.session_messages):
                heard.changed.clear()
                await asyncio.wait_for(heard.changed.wait(), WAIT_SECONDS)
        finally:
            listener.close()
        return heard

    heard = run(scenario)

    assert heard.wakes == 1
    assert heard.session_messages == [("session.abc", {"type": "session.ended"})]


def test_a_process_does_not_send_to_its_own_relays(var_dir):
    # (push.py wakes its own relays directly; a datagram to itself would wake them twice)
    async def scenario() -> Heard:
        heard = Heard()
        listener = relay_wake.listen(asyncio.get_running_loop(), heard.wake, heard.session_message)
        try:
            relay_wake.wake_other_processes()
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(heard.changed.wait(), 0.3)
        finally:
            listener.close()
        return heard

    assert run(scenario).wakes == 0


def test_only_session_control_for_a_session_group_crosses(var_dir):
    async def scenario() -> Heard:
        heard = Heard()
        listener = relay_wake.listen(asyncio.get_running_loop(), heard.wake, heard.session_message)
        sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            for datagram in (
                b"s" + json.dumps(["client.7", {"type": "portal.event", "event": {"id": 1}}]).encode(),
                b"s" + json.dumps(["client.7", {"type": "session.ended"}]).encode(),  # not a session group
                b"s" + json.dumps(["session.abc", {"type": "portal.event"}]).encode(),
                b"s{not json",
                b"x",
                b"s"
                + json.dumps(["session.abc", {"type": "session.client_changed", "client_id": 3}]).encode(),
            ):
                sender.sendto(datagram, str(listener.path))
            await asyncio.wait_for(heard.changed.wait(), WAIT_SECONDS)
            await asyncio.sleep(0.05)  # anything sent before the last datagram has been read by now
        finally:
            sender.close()
            listener.close()
        return heard

    heard = run(scenario)

    assert heard.session_messages == [("session.abc", {"type": "session.client_changed", "client_id": 3})]
    assert heard.wakes == 0


def test_a_socket_left_by_a_process_that_died_is_removed_by_the_next_send(var_dir):
    relay_wake.folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    left = relay_wake.folder() / "999999999-0.sock"
    gone = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    gone.bind(str(left))
    gone.close()  # the file stays, as after a crash
    assert left.exists()

    relay_wake.wake_other_processes()

    assert not left.exists()


def test_a_closed_listener_leaves_no_socket_behind(var_dir):
    async def scenario() -> Path:
        listener = relay_wake.listen(asyncio.get_running_loop(), lambda: None, lambda group, message: None)
        path = listener.path
        assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
        listener.close()
        return path

    assert not run(scenario).exists()


def test_no_other_message_is_sent_as_session_control(var_dir):
    with pytest.raises(ValueError, match="portal.event"):
        relay_wake.send_session_message("session.abc", {"type": "portal.event"})


def test_nothing_is_sent_into_a_folder_of_another_user(var_dir):
    # given a folder of relay sockets that another user owns (e.g. made first in /tmp by them)
    home = relay_wake.folder()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    theirs = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    theirs.bind(str(home / "999999999-0.sock"))
    theirs.setblocking(False)
    try:
        os.chown(home, 65534, 65534)
    except PermissionError:
        theirs.close()
        pytest.skip("only root can give the folder to another user")

    # when this process sends a wake and a session-control message
    relay_wake.wake_other_processes()
    relay_wake.send_session_message("session.abc", {"type": "session.ended"})

    # then nothing reached their socket, and no relay of this process binds there
    with pytest.raises(BlockingIOError):
        theirs.recv(100)
    theirs.close()
    loop = asyncio.new_event_loop()
    try:
        assert relay_wake.listen(loop, lambda: None, lambda group, message: None) is None
    finally:
        loop.close()
