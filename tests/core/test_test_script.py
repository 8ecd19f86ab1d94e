"""`make test`'s script (scripts/test.sh), its lint phase: an unformatted file fails the run before any
pytest, as a lint error does. Run on a copy of the script beside stand-in tools that record their calls."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "test.sh"

# A stand-in for ruff, lint-imports and python: logs its arguments, fails when they match $FAIL_ON.
FAKE_TOOL = """#!/usr/bin/env bash
echo "$(basename "$0") $*" >> "$CALLS"
[ -n "${FAIL_ON:-}" ] && [ "$(basename "$0") $*" = "$FAIL_ON" ] && exit 1
exit 0
"""


def run_script(tmp_path: Path, *, fail_on: str = "") -> tuple[subprocess.CompletedProcess, list[str]]:
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / "test.sh")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in ("ruff", "lint-imports", "python"):
        (bin_dir / tool).write_text(FAKE_TOOL)
        (bin_dir / tool).chmod(0o755)
    calls = tmp_path / "calls.log"
    env = dict(
        os.environ,
        CALLS=str(calls),
        FAIL_ON=fail_on,
        PORTAL_TEST_SCALED="0",
        PORTAL_VAR_DIR=str(tmp_path / "var"),
    )
    result = subprocess.run(
        ["bash", str(tmp_path / "scripts" / "test.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, calls.read_text().splitlines() if calls.exists() else []


def test_the_lint_phase_checks_the_format_of_the_whole_tree(tmp_path):
    # when: every tool passes
    result, calls = run_script(tmp_path)

    # then: ruff checked the format of the whole tree, then pytest ran
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ruff format --check ." in calls
    assert calls.index("ruff format --check .") < calls.index("python -m pytest -q")


def test_an_unformatted_file_fails_the_run_before_pytest(tmp_path):
    # when: ruff finds a file it would reformat
    result, calls = run_script(tmp_path, fail_on="ruff format --check .")

    # then: the run fails and pytest never starts
    assert result.returncode != 0
    assert "python -m pytest -q" not in calls
