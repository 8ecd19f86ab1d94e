"""Enrolment of a first authenticator app (defects 2 and 4): the account password is asked, not the
session alone; the recovery codes can be downloaded from their page only, not later in the session."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.core.models import AuditLog
from tests.second_factor_helpers import code_for

pytestmark = pytest.mark.django_db
FRESH_CODES_SESSION_KEY = "portal_second_factor_fresh_codes"  # where the codes just shown wait


def log_in(client, user, password) -> tuple[TOTPDevice, str]:
    """Log in by password: the setup page, with the pending app of its QR code."""
    response = client.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    page = client.get(reverse("second_factor_setup")).content.decode()
    return TOTPDevice.objects.get(user=user, confirmed=False), page


def enrol(client, user, password) -> list[str]:
    device, _page = log_in(client, user, password)
    done = client.post(reverse("second_factor_setup"), {"password": password, "code": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-z]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    return codes


def test_a_first_app_asks_for_the_account_password(client, bok_staff, password):
    device, page = log_in(client, bok_staff, password)
    assert 'name="password"' in page

    # when: the session alone (the app's code without the password), then a wrong password
    without = client.post(reverse("second_factor_setup"), {"code": code_for(device)})
    wrong = client.post(reverse("second_factor_setup"), {"password": "zle-haslo", "code": code_for(device)})

    # then: nothing is turned on; a wrong password is a failed login
    assert without.status_code == 200 and 'id="err_password"' in without.content.decode()
    assert wrong.status_code == 200 and 'id="err_password"' in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=bok_staff, confirmed=True).exists()
    assert AuditLog.objects.filter(action="login_failed", username=bok_staff.email).exists()

    # when: with the password
    done = client.post(reverse("second_factor_setup"), {"password": password, "code": code_for(device)})

    # then
    assert done.status_code == 200
    assert TOTPDevice.objects.filter(user=bok_staff, confirmed=True).exists()


def test_recovery_codes_download_from_their_page_only(client, bok_staff, password):
    codes = enrol(client, bok_staff, password)

    download = client.get(reverse("second_factor_recovery_download"))
    assert download.status_code == 200
    assert all(code in download.content.decode() for code in codes)

    # when: "continue" leads to the next page
    assert client.get(reverse("staff-home")).status_code == 200

    # then: the codes are gone from the session and cannot be downloaded any more
    assert FRESH_CODES_SESSION_KEY not in client.session
    assert client.get(reverse("second_factor_recovery_download")).status_code == 302


def test_recovery_codes_are_not_downloadable_minutes_later(client, bok_staff, password):
    enrol(client, bok_staff, password)

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        late = client.get(reverse("second_factor_recovery_download"))

    assert late.status_code == 302
    assert FRESH_CODES_SESSION_KEY not in client.session
