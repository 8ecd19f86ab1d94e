"""make run in the scaled mode (DATABASE_URL set): the banner's demo_totp command works as printed, the
migration line names the database migrated, and demo_totp on an unmigrated database says what to do."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_banner_prints_demo_totp_with_the_database_url_and_without_its_password(settings):
    settings.DATABASE_URL = "postgres://portal:s3cret-pw@127.0.0.1:5432/portal"
    out = StringIO()

    call_command("portal_banner", "--url", "http://127.0.0.1:8000", stdout=out)

    banner = out.getvalue()
    assert (
        "DATABASE_URL='postgres://portal:<password>@127.0.0.1:5432/portal' .venv/bin/python manage.py demo_totp"
        in banner
    )
    assert "s3cret-pw" not in banner


def test_the_banner_prints_the_plain_command_on_the_embedded_database(settings):
    settings.DATABASE_URL = None
    out = StringIO()

    call_command("portal_banner", stdout=out)

    assert "code: .venv/bin/python manage.py demo_totp <e-mail>" in out.getvalue()


def test_the_migration_line_names_postgresql_without_its_credentials():
    script = (REPO_ROOT / "scripts/run-portal.sh").read_text()
    start = script.index("# Name the database migrated")
    end = script.index("$PY manage.py migrate")
    snippet = "phase() { printf '==> %s\\n' \"$*\"; }\n" + script[start:end]
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": "postgres://portal:pw@127.0.0.1:55432/portal"}

    line = subprocess.run(["bash", "-c", snippet], env=env, capture_output=True, text=True, check=True).stdout

    assert line == "==> Database: applying migrations (PostgreSQL 127.0.0.1:55432/portal)\n"
    embedded = subprocess.run(
        ["bash", "-c", snippet], env={"PATH": os.environ["PATH"]}, capture_output=True, text=True, check=True
    ).stdout
    assert embedded == "==> Database: applying migrations (var/portal.sqlite3)\n"


def run_demo_totp(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SQLITE_PATH"}}
    return subprocess.run(
        [sys.executable, "manage.py", "demo_totp", "bok@leasing.example"],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_demo_totp_on_a_database_never_migrated_says_what_to_do(tmp_path):
    # given: an empty var folder (no SQLite file yet), and an SQLite file without the portal's tables
    missing = tmp_path / "fresh"
    missing.mkdir()
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()

    first = run_demo_totp({"PORTAL_VAR_DIR": str(missing)})
    second = run_demo_totp({"PORTAL_VAR_DIR": str(tmp_path), "SQLITE_PATH": str(empty)})

    for result in (first, second):
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert re.search(r"has no portal (data|tables)", result.stderr), result.stderr
        assert "DATABASE_URL" in result.stderr  # the way out when the portal runs on PostgreSQL
    assert not (missing / "portal.sqlite3").exists()  # no empty database left behind
