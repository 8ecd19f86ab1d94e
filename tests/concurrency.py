"""Real concurrency in tests: probes run in a subprocess on a file-based SQLite database of their own (the
in-memory test database cannot take two writers; in the PostgreSQL phase too, the probe keeps its file),
and calls released together from threads.

A probe module calls `django.setup()` first, then imports `released_together` / `verified` from here, and
prints one JSON line last; the test reads it with `run_probe`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]


def run_probe(probe: Path, tmp_path: Path) -> dict:
    """Run `probe` (a script next to the test) on a fresh database file; its last printed JSON line."""
    inherited = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env = {
        **inherited,
        "SQLITE_PATH": str(tmp_path / "probe.sqlite3"),
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "PORTAL_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "backend.config.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    }
    completed = subprocess.run(
        [sys.executable, str(probe)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def verified(client: Any, user: Any) -> Any:
    """`client` (Django's or DRF's test client) logged in as `user`, its session past the second factor."""
    from backend.accounts.second_factor import VERIFIED_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[VERIFIED_SESSION_KEY] = "totp"
    session.save()
    return client


def released_together(calls: list[Callable[[], T]]) -> list[T]:
    """Run each call in its own thread, all released at the same moment; their results, first done first."""
    from django.db import close_old_connections

    barrier = threading.Barrier(len(calls))
    results: list[T] = []

    def run(call: Callable[[], T]) -> None:
        barrier.wait()
        try:
            results.append(call())
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
