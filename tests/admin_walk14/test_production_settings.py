"""Production settings: a boolean variable the portal cannot read stops the process naming it (a typo in
DJANGO_PRODUCTION meant "not production"); production refuses an http:// PORTAL_BASE_URL and
SECURE_SSL_REDIRECT=false unless the TLS proxy in front says it redirects; the refusal reads without a
traceback from manage.py."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from backend.core.env import env
from tests.core.test_production_safety import ROOT, SETUP, STRONG_KEY, run_portal_python

START = SETUP + "import backend.config.asgi"


@pytest.mark.parametrize("value", ["ture", "prod", "enabled", "2"])
def test_an_unreadable_boolean_stops_the_process_naming_the_variable(tmp_path, value):
    result = run_portal_python(tmp_path, START, DJANGO_PRODUCTION=value, DJANGO_SECRET_KEY=STRONG_KEY)

    assert result.returncode != 0
    assert f"DJANGO_PRODUCTION={value!r} is neither true nor false" in result.stderr


def test_every_flag_is_read_strictly(monkeypatch):
    from backend.core.env import ConfigurationError

    for raw, expected in [
        ("true", True),
        ("On", True),
        ("1", True),
        ("yes", True),
        ("false", False),
        ("0", False),
        ("OFF", False),
        ("no", False),
    ]:
        monkeypatch.setenv("PORTAL_SOME_FLAG", raw)
        assert env("PORTAL_SOME_FLAG", None, cast=bool) is expected
    monkeypatch.setenv("PORTAL_SOME_FLAG", "flase")
    with pytest.raises(ConfigurationError, match="PORTAL_SOME_FLAG='flase'"):
        env("PORTAL_SOME_FLAG", False, cast=bool)
    monkeypatch.setenv("UPLOAD_MAX_BYTES", "10MB")
    with pytest.raises(ConfigurationError, match="UPLOAD_MAX_BYTES='10MB' is not a whole number"):
        env("UPLOAD_MAX_BYTES", 1, cast=int)


@pytest.mark.parametrize(
    ("variables", "check_id"),
    [
        ({"PORTAL_BASE_URL": "http://portal.example"}, "core.E107"),
        ({"PORTAL_BASE_URL": "portal.example"}, "core.E107"),
        ({"SECURE_SSL_REDIRECT": "false"}, "core.E108"),
    ],
)
def test_production_refuses_plain_http(tmp_path, variables, check_id):
    result = run_portal_python(
        tmp_path, START, DJANGO_PRODUCTION="true", DJANGO_SECRET_KEY=STRONG_KEY, **variables
    )

    assert result.returncode != 0
    assert "refusing to start" in result.stderr and check_id in result.stderr


def test_a_tls_proxy_that_redirects_itself_may_switch_the_redirect_off(tmp_path):
    result = run_portal_python(
        tmp_path,
        START,
        DJANGO_PRODUCTION="true",
        DJANGO_SECRET_KEY=STRONG_KEY,
        SECURE_SSL_REDIRECT="false",
        PORTAL_TLS_TERMINATED_BY_PROXY="true",
    )

    assert result.returncode == 0, result.stderr


def test_manage_py_says_what_is_wrong_without_a_traceback(tmp_path):
    env_vars = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PORTAL_BASE"))
    }
    env_vars.update({"PORTAL_VAR_DIR": str(tmp_path), "DJANGO_PRODUCTION": "ture"})

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env_vars,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: DJANGO_PRODUCTION='ture' is neither true nor false")
    assert "Traceback" not in result.stderr
