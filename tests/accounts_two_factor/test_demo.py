"""The demo's staff can log in with the printed demo code; production never seeds or accepts the demo key."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from backend.accounts.models import User
from backend.demo.second_factor import seed_demo_second_factor
from backend.demo.vocabulary import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seeded_staff_log_in_with_the_code_demo_totp_prints(client):
    # given
    call_command("seed_demo", clients=2, seed=7, stdout=StringIO())
    out = StringIO()

    # when
    call_command("demo_totp", "bok@leasing.example", stdout=out)
    client.post(reverse("login"), {"username": "bok@leasing.example", "password": DEMO_PASSWORD})
    response = client.post(reverse("second_factor_verify"), {"code": out.getvalue().strip()})

    # then
    assert response.status_code == 302
    assert client.get(reverse("staff-home")).status_code == 200
    for email in ("analityk@leasing.example", "admin@leasing.example"):
        assert User.objects.get(email=email).totpdevice_set.filter(confirmed=True).exists(), email


def test_production_refuses_to_seed_the_demo_key(settings):
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured):
        seed_demo_second_factor()
