"""Wake the push relays of the other processes on this host, and hand them session control.

Each web process relays committed outbox events to its own sockets (notifications/push.py). A commit
woke only the relays of its own process: another web process, or a page whose change came from the
worker's timer sweep, found the event at its next poll (LIVE_PUSH_POLL_SECONDS, a second); and on the
embedded in-memory channel layer a logout closed only the sockets of the process that served it.

Here every process with a running relay binds a Unix datagram socket in one folder of the portal's
var directory. A commit sends a one-byte wake to the sockets of every other process, and a logout or a
client switch sends its session-control message the same way. Nothing depends on a datagram arriving:
a lost wake leaves the event to the poll, and a socket whose session ended is still closed by the
consumer's check of its session on the next event. Only session control crosses this way; events are
always read from the outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import os
import socket
import tempfile
import threading
from collections.abc import Callable
from itertools import count
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

WAKE = b"w"
_SESSION = b"s"
SESSION_MESSAGE_TYPES = frozenset({"session.ended", "session.client_changed"})
_MAX_DATAGRAM = 8192
# A socket's path must fit in sun_path (108 bytes) with its name.
_MAX_FOLDER_CHARS = 80

_names = count()
_sender: socket.socket | None = None
_sender_lock = threading.Lock()


@functools.cache
def folder() -> Path:
    """The folder of this host's relay sockets: in the var directory, or (a long path) a private one in /tmp."""
    path = Path(settings.VAR_DIR) / "live-push"
    if len(str(path)) > _MAX_FOLDER_CHARS:
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"portal-live-push-{digest}"
    return path


def _own_prefix() -> str:
    return f"{os.getpid()}-"


class WakeListener:
    """One relay's datagram socket, read on its event loop."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        on_wake: Callable[[], None],
        on_session_message: Callable[[str, dict], None],
    ) -> None:
        home = folder()
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        if home.stat().st_uid != os.getuid():  # a folder of another user in /tmp: not ours to trust
            raise PermissionError(f"{home} belongs to another user")
        self.path = home / f"{_own_prefix()}{next(_names)}.sock"
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # left by an earlier process that had this pid
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self._socket.setblocking(False)
            self._socket.bind(str(self.path))
            os.chmod(self.path, 0o600)
        except OSError:
            self._socket.close()
            raise
        self._loop = loop
        self._on_wake = on_wake
        self._on_session_message = on_session_message
        loop.add_reader(self._socket.fileno(), self._read)

    def _read(self) -> None:
        while True:
            try:
                datagram = self._socket.recv(_MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                logger.exception("Live push wake socket %s failed", self.path)
                return
            if datagram == WAKE:
                self._on_wake()
            elif datagram[:1] == _SESSION:
                self._session_message(datagram[1:])

    def _session_message(self, body: bytes) -> None:
        try:
            group, message = json.loads(body)
        except (ValueError, TypeError):
            return
        if (
            isinstance(group, str)
            and group.startswith("session.")
            and isinstance(message, dict)
            and message.get("type") in SESSION_MESSAGE_TYPES
        ):
            self._on_session_message(group, message)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the loop may be closed already
            self._loop.remove_reader(self._socket.fileno())
        self._socket.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def listen(
    loop: asyncio.AbstractEventLoop,
    on_wake: Callable[[], None],
    on_session_message: Callable[[str, dict], None],
) -> WakeListener | None:
    """Bind a relay's socket; None (the relay keeps its poll) when the folder cannot take one."""
    try:
        return WakeListener(loop, on_wake, on_session_message)
    except OSError:
        logger.warning(
            "Live push: no wake socket in %s; relays of other processes poll", folder(), exc_info=True
        )
        return None


def _send(datagram: bytes) -> None:
    global _sender
    home = folder()
    try:
        if home.stat().st_uid != os.getuid():  # never hand session control to another user's sockets
            return
        entries = [entry for entry in os.scandir(home) if entry.name.endswith(".sock")]
    except OSError:  # no relay on this host has bound a socket yet
        return
    own = _own_prefix()
    for entry in entries:
        if entry.name.startswith(own):  # this process's relays are woken directly (push.py)
            continue
        with _sender_lock:
            if _sender is None:
                _sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                _sender.setblocking(False)
            sender = _sender
        try:
            sender.sendto(datagram, entry.path)
        except (ConnectionRefusedError, FileNotFoundError):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)  # its process is gone without closing it
        except OSError:  # its queue is full (so it has a wake waiting already), or it just closed
            pass


def wake_other_processes() -> None:
    """Wake the relays of every other process on this host (a commit made events they push)."""
    _send(WAKE)


def send_session_message(group: str, message: dict) -> None:
    """Hand a session-control message for `group` to every other process's relay (in-memory layer)."""
    if message.get("type") not in SESSION_MESSAGE_TYPES:
        raise ValueError(f"not a session-control message: {message.get('type')!r}")
    _send(_SESSION + json.dumps([group, message]).encode())
