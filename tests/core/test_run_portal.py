"""`make run`'s script as a newcomer meets it: a taken port stops it at once with a clear message, and
Ctrl-C stops every process it started and exits 0 (no "make: *** Error 130")."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "run-portal.sh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "REDIS_URL"))
    }
    env.update(PORTAL_PORT=str(port), PORTAL_VAR_DIR=str(tmp_path / "var"), DEMO_CLIENTS="1")
    return env


def start_script(tmp_path: Path, port: int) -> tuple[subprocess.Popen, list[str]]:
    """The portal started as `make run` starts it, in a process group of its own like a terminal's; returns
    once the banner says it runs (with the lines printed so far)."""
    process = subprocess.Popen(
        ["bash", str(SCRIPT)],
        cwd=ROOT,
        env=portal_env(tmp_path, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = []
    deadline = time.monotonic() + 180
    for line in process.stdout:
        output.append(line)
        if "Press Ctrl-C to stop" in line or time.monotonic() > deadline:
            break
    return process, output


def test_a_taken_port_stops_the_script_before_any_work(tmp_path):
    # given: something listens on the port
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        # when
        result = subprocess.run(
            ["bash", str(SCRIPT)], env=portal_env(tmp_path, port), capture_output=True, text=True, timeout=60
        )

    # then: a clear message, no migration run, and no banner claiming the portal runs
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stdout
    assert "PORTAL_PORT=8001 make run" in result.stdout
    assert "is running at" not in result.stdout
    assert not (tmp_path / "var" / "portal.sqlite3").exists()


def test_ctrl_c_stops_every_process_and_exits_cleanly(tmp_path):
    # given: the portal started as `make run` starts it, in a process group of its own like a terminal's
    port = free_port()
    process, output = start_script(tmp_path, port)
    assert any("is running at" in line for line in output), "".join(output)
    assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200

    # when: Ctrl-C reaches the terminal's foreground process group
    os.killpg(process.pid, signal.SIGINT)
    rest, _ = process.communicate(timeout=60)

    # then
    assert process.returncode == 0, rest
    assert "Stopping the portal" in rest
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
    leftovers = subprocess.run(["pgrep", "-f", f"--port {port}"], capture_output=True, text=True).stdout
    assert leftovers.strip() == ""


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc's children lists)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def celery_worker_main(script_pid: int) -> int | None:
    """The Celery worker's main process: started by the script's shell (its pool processes are its own)."""
    for pid in descendants(script_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            parent_cmdline = Path(f"/proc/{_parent(pid)}/cmdline").read_bytes()
        except OSError:
            continue
        if b"worker" in cmdline and b"celery" in cmdline and b"run-portal.sh" in parent_cmdline:
            return pid
    return None


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_a_worker_that_crashes_is_started_again_while_the_portal_keeps_serving(tmp_path):
    # given: the portal started as `make run` starts it
    port = free_port()
    process, output = start_script(tmp_path, port)
    try:
        assert any("is running at" in line for line in output), "".join(output)
        first = celery_worker_main(process.pid)
        assert first is not None

        # when: the worker dies at once (as the broker's fatal error or the OOM killer ends it)
        os.kill(first, signal.SIGKILL)

        # then: the stop is in the worker's log, a new worker is ready, and the web server never stopped
        log = tmp_path / "var" / "log" / "worker.log"
        assert _wait_until(lambda: "The Celery worker stopped (exit status 137)" in log.read_text(), 30), (
            log.read_text()[-2000:]
        )
        assert _wait_until(lambda: log.read_text().count("ready.") == 2, 60), log.read_text()[-2000:]
        second = celery_worker_main(process.pid)
        assert second not in (None, first)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        assert process.poll() is None

        # and Ctrl-C still stops everything, the new worker too
        os.killpg(process.pid, signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
        assert process.returncode == 0, rest
        assert "The Celery worker stopped (exit status 137)" in rest  # printed where make run shows it
        assert not Path(f"/proc/{second}").exists()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
