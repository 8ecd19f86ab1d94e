"""The demo's staff can log in with the printed demo code; production never seeds or accepts the demo key."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
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


def test_a_second_login_in_the_same_half_minute_gets_the_next_code_after_a_wait(client, monkeypatch):
    # given bok logged in with the printed code a moment ago (a code is accepted once)
    from backend.demo import second_factor

    call_command("seed_demo", clients=2, seed=7, stdout=StringIO())
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, 1, tzinfo=UTC), tick=False) as traveller:
        slept = []
        monkeypatch.setattr(second_factor.time, "sleep", lambda s: (slept.append(s), traveller.shift(s)))
        for _attempt in range(2):
            out, err = StringIO(), StringIO()
            call_command("demo_totp", "bok@leasing.example", stdout=out, stderr=err)
            client.logout()
            client.post(reverse("login"), {"username": "bok@leasing.example", "password": DEMO_PASSWORD})

            # when they log in again at once with the code printed now
            response = client.post(reverse("second_factor_verify"), {"code": out.getvalue().strip()})

            # then it is accepted both times
            assert response.status_code == 302, response.content[:300]
            assert client.get(reverse("staff-home")).status_code == 200

    # the second waited for the next half minute, said so, and the device's clock stayed the real one
    assert len(slept) == 1 and 28 < slept[0] <= 30.1
    assert "waiting 29 s for the next one" in err.getvalue()
    assert User.objects.get(email="bok@leasing.example").totpdevice_set.get().drift == 0
