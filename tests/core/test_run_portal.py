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
