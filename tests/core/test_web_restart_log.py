"""A web process uvicorn's supervisor restarts is logged as a warning, at the default --log-level warning
(backend/config/server_logging.py): an operator sees that one died, as for the worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.scaled.conftest import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _wait(condition, what: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_killed_web_process_is_logged_as_restarted(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="backend.config.settings",
        SQLITE_PATH=str(tmp_path / "portal.sqlite3"),
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        PORTAL_MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "web.log"
    args = [
        sys.executable,
        str(REPO_ROOT / "scripts" / "serve_web.py"),
        "--port",
        str(port),
        "--processes",
        "2",
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: _healthy(port) and len(_children(server.pid)) >= 2, "not serving", log)
        # multiprocessing's resource tracker is a child too: kill a web process (spawned by the supervisor)
        victim = next(
            pid for pid in _children(server.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()
        )
        os.kill(victim, signal.SIGKILL)

        _wait(
            lambda: f"The web process [{victim}] stopped, started again" in log.read_text(), "no warning", log
        )
        line = next(line for line in log.read_text().splitlines() if "stopped, started again" in line)
        assert line.startswith("WARNING")
        # uvicorn's own INFO lines ("INFO:     Started server process …") stay hidden. The portal's loggers keep
        # LOG_LEVEL: each process's timestamped "INFO … PDF renderer warmed up" may come at any moment (on a
        # loaded machine before this line, which failed the test when it read "no INFO anywhere").
        assert not [line for line in log.read_text().splitlines() if line.startswith("INFO")]
        _wait(lambda: _healthy(port), "not serving after the restart", log)
    finally:
        server.terminate()
        server.wait(timeout=30)
