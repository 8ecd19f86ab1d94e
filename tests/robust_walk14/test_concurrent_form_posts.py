"""Two posts of the same form at the same moment (a double click over a slow network): one row, and both
answers lead to it. Real threads on a file-based SQLite database (the in-memory test database cannot take
two writers), in a subprocess as tests/requests_app/test_staff_tasks.py runs its probe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_each_writing_form_posted_twice_at_once_writes_once(tmp_path):
    # given a fresh database file and a probe that posts each form twice at once
    inherited = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env = {
        **inherited,
        "SQLITE_PATH": str(tmp_path / "probe.sqlite3"),
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "PORTAL_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "backend.config.settings",
    }
    probe = Path(__file__).with_name("form_key_probe.py")
    root = probe.parents[2]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")]))

    # when
    completed = subprocess.run(
        [sys.executable, str(probe)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    # then one thread, one comment, one reply, one duplicate; both answers of each lead to the same page
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert (result["threads"], result["comments"], result["replies"], result["duplicates"]) == (1, 1, 1, 1)
    for form in ("new_message", "comment", "reply", "duplicate"):
        (first, second) = result[form]
        assert first == second, (form, result[form])
        assert first[0] == 302, (form, result[form])
