"""Two-factor login in tests: enrol a user's authenticator app and compute its current code."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.auth_backend import PASSWORD_BACKEND

# Any fixed 20-byte key (hex, as django-otp stores it); not the demo key, which production refuses.
TEST_TOTP_KEY = "00112233445566778899aabbccddeeff00112233"


def enrol(user, key: str = TEST_TOTP_KEY) -> TOTPDevice:
    """Give `user` a confirmed TOTP device (the one they already have, if any)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", key=key, confirmed=True)


def code_for(device: TOTPDevice, *, at: float | None = None) -> str:
    """The device's code now (or at `at`, seconds since the epoch), computed from its key like an app does.

    A code is accepted once per time step, so a test that logs in twice within 30 s first lets the
    device forget the step it last accepted.
    """
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def code_of(user) -> str:
    return code_for(enrol(user))


def force_login_unverified(client, user) -> None:
    """Log in without the second factor (the autouse fixture marks plain force_login sessions verified)."""
    from django.test.client import ClientMixin

    original = getattr(ClientMixin._login, "__wrapped__", ClientMixin._login)
    original(client, user, PASSWORD_BACKEND)
