"""Scaled-mode fixtures: real PostgreSQL + Redis, and portal processes started beside the test.

Tests marked `scaled` skip when DATABASE_URL / REDIS_URL are not set (the plain SQLite run), and fail
instead when PORTAL_SCALED_REQUIRED=1 (the PostgreSQL + Redis phase of scripts/test.sh), so that phase
can never pass by skipping them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _require_scaled_services(request):
    if request.node.get_closest_marker("scaled") is None:
        return
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if not missing:
        return
    reason = (
        f"needs PostgreSQL + Redis: {' and '.join(missing)} not set "
        '(eval "$(scripts/scaled-services.sh start)" sets both)'
    )
    if os.environ.get("PORTAL_SCALED_REQUIRED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_of_test_db() -> str:
    """Return DATABASE_URL pointing at the test database pytest-django created (test_<name>)."""
    from django.db import connection

    parsed = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(parsed._replace(path="/" + connection.settings_dict["NAME"]))


class PortalProcess:
    """One portal process (ASGI server or Celery worker) with its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            args, cwd=REPO_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )

    def log_tail(self, chars: int = 4000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def wait_for(self, ready, what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not {what} after {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


class AsgiServer(PortalProcess):
    def __init__(self, name: str, env: dict[str, str], log_dir: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        # As compose.yaml's web replicas start: HTTP on the WSGI thread pool, WebSockets over ASGI.
        args = [sys.executable, str(REPO_ROOT / "scripts" / "serve_web.py"), "--host", "127.0.0.1"]
        args += ["--port", str(self.port), "--no-access-log", "--processes", "1"]
        super().__init__(name, args, env, log_dir)

    def wait_ready(self) -> None:
        self.wait_for(self._healthy, "answering /healthz")

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.base_url + "/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False


class CeleryWorker(PortalProcess):
    def __init__(self, name: str, env: dict[str, str], log_dir: Path):
        args = [sys.executable, "-m", "celery", "-A", "backend.config", "worker", "--pool=solo"]
        args += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        args += ["--hostname", f"{name}@%h"]
        super().__init__(name, args, env, log_dir)

    def wait_ready(self) -> None:
        self.wait_for(lambda: b" ready." in self.log_path.read_bytes(), "ready")


@pytest.fixture
def portal_env(transactional_db, tmp_path) -> dict[str, str]:
    """Environment of a portal process on the test database and the test Redis."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url_of_test_db(),
        DJANGO_SETTINGS_MODULE="backend.config.settings",
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        PORTAL_MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def start_portal_process(portal_env, tmp_path):
    """Start ASGI servers and Celery workers on the test database; all are stopped after the test."""
    started: list[PortalProcess] = []
    log_dir = tmp_path / "logs"
    log_dir.mkdir()

    def start(kind: str, name: str) -> PortalProcess:
        cls = {"asgi": AsgiServer, "worker": CeleryWorker}[kind]
        process = cls(name, portal_env, log_dir)
        started.append(process)
        process.wait_ready()
        return process

    yield start
    for process in reversed(started):
        process.stop()
