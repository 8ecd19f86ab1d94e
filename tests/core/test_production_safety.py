"""Production refuses the demo defaults: demo bank, development secret key, DEBUG, a demo bank key."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from backend.core.safety import DEVELOPMENT_SECRET_KEY, check_production_safety

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(60)


def run_portal_python(tmp_path: Path, code: str, **variables: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh process with the portal's settings and only the given variables set."""
    ours = ("DJANGO_", "BANK_", "PORTAL_BASE_URL", "PORTAL_TLS_", "SECURE_SSL_REDIRECT")
    env = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
    env.update(
        {
            "PORTAL_VAR_DIR": str(tmp_path),
            "DJANGO_ALLOWED_HOSTS": "portal.example",
            "PORTAL_BASE_URL": "https://portal.example",
            **variables,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'backend.config.settings'); "


def test_production_switches_the_demo_bank_and_bank_login_off_by_default(tmp_path):
    # when: only the production switch and a secret key are set, as the README asks
    code = SETUP + (
        "django.setup(); from django.conf import settings; from django.test import Client; "
        "response = Client().get('/bank-simulator/', secure=True, HTTP_HOST='portal.example'); "
        "print(settings.BANK_SIMULATOR_ENABLED, settings.BANK_SSO_ENABLED, response.status_code)"
    )
    result = run_portal_python(tmp_path, code, DJANGO_PRODUCTION="true", DJANGO_SECRET_KEY=STRONG_KEY)

    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "404"]
    assert not (tmp_path / "bank-sso").exists(), "no demo key may be made in production"


@pytest.mark.parametrize(
    ("variables", "check_id"),
    [
        ({"BANK_SIMULATOR_ENABLED": "true", "DJANGO_SECRET_KEY": STRONG_KEY}, "core.E101"),
        ({}, "core.E102"),  # no secret key: the development default
        ({"DJANGO_SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "core.E102"),
        ({"DJANGO_SECRET_KEY": "change-me-to-50-random-characters"}, "core.E102"),  # .env.example's
        ({"DJANGO_SECRET_KEY": "x" * 60}, "core.E102"),
        ({"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_DEBUG": "true"}, "core.E103"),
        ({"DJANGO_SECRET_KEY": STRONG_KEY, "BANK_SSO_ENABLED": "true"}, "core.E104"),
        ({"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "*"}, "core.E105"),
    ],
)
@pytest.mark.parametrize("entry_point", ["asgi", "check"])
def test_unsafe_production_configuration_refuses_to_start(tmp_path, variables, check_id, entry_point):
    # when: the ASGI server imports the application, or an operator runs the deploy check
    code = {
        "asgi": SETUP + "import backend.config.asgi",
        "check": SETUP + "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy'])",
    }[entry_point]
    result = run_portal_python(tmp_path, code, DJANGO_PRODUCTION="true", **variables)

    # then
    assert result.returncode != 0
    assert "refusing to start" in result.stderr
    assert check_id in result.stderr


def test_the_embedded_demo_keeps_its_defaults(tmp_path):
    code = SETUP + "django.setup(); from django.conf import settings; print(settings.BANK_SIMULATOR_ENABLED)"
    result = run_portal_python(tmp_path, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_system_check_reports_settings_changed_after_load(settings):
    # given
    settings.PRODUCTION = True
    settings.SECRET_KEY = STRONG_KEY
    settings.BANK_SIMULATOR_ENABLED = True
    settings.BANK_SSO_ENABLED = False
    settings.PORTAL_BASE_URL = "https://portal.example"
    settings.SECURE_SSL_REDIRECT = True

    # when
    errors = check_production_safety()

    # then
    assert [error.id for error in errors] == ["core.E101"]


def test_the_demo_bank_never_writes_the_configured_bank_key(settings, tmp_path, db):
    from backend.sso.simulator import sign_assertion

    # given: the operator's bank key, and a demo key folder without a private key
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "public.pem").write_bytes(b"the bank's real key")
    settings.BANK_SIMULATOR_ENABLED = True
    settings.BANK_SSO_PUBLIC_KEY_FILE = str(bank / "public.pem")
    settings.BANK_SIMULATOR_KEY_DIR = tmp_path / "demo"

    # when
    sign_assertion(bank_customer_id="BANK-0001", contract_number="UL/1")

    # then: the demo pair went to its own folder; the bank's key is untouched
    assert (bank / "public.pem").read_bytes() == b"the bank's real key"
    assert sorted(path.name for path in (tmp_path / "demo").glob("*.pem")) == ["private.pem", "public.pem"]


def test_the_demo_bank_refuses_to_make_keys_where_the_configured_key_lives(settings, tmp_path, db):
    from backend.sso.simulator import sign_assertion

    # given: the simulator's folder is the bank key's folder, and it has no private key
    (tmp_path / "public.pem").write_bytes(b"the bank's real key")
    settings.BANK_SIMULATOR_ENABLED = True
    settings.BANK_SSO_PUBLIC_KEY_FILE = str(tmp_path / "public.pem")
    settings.BANK_SIMULATOR_KEY_DIR = tmp_path

    # when / then
    with pytest.raises(ImproperlyConfigured, match="will not overwrite"):
        sign_assertion(bank_customer_id="BANK-0001", contract_number="UL/1")
    assert (tmp_path / "public.pem").read_bytes() == b"the bank's real key"
    assert not (tmp_path / "private.pem").exists()


def test_without_the_simulator_no_demo_key_is_made_or_trusted(settings, tmp_path):
    from backend.sso.keys import load_public_key_pem

    settings.BANK_SIMULATOR_ENABLED = False
    settings.BANK_SSO_PUBLIC_KEY_FILE = ""
    settings.BANK_SIMULATOR_KEY_DIR = tmp_path / "demo"

    assert load_public_key_pem() is None
    assert not (tmp_path / "demo").exists()


def test_the_demo_bank_pages_answer_404_when_switched_off_at_run_time(client, settings, db):
    settings.BANK_SIMULATOR_ENABLED = False
    assert client.get(reverse("bank_simulator_login")).status_code == 404
    assert client.post(reverse("bank_simulator_handoff"), {"contract": "UL/1"}).status_code == 404
