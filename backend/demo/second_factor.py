"""Demo two-factor devices: the fixed demo logins that must use a second factor get the published demo key.

Only for the embedded demo: production refuses to seed them here, never accepts the key when logging in
and `check --database default` names any device that carries it (backend/core/safety.py, core.E106).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.models import User
from backend.accounts.second_factor import regenerate_recovery_codes, requires_second_factor
from backend.core.safety import DEMO_TOTP_KEY_HEX
from backend.demo.vocabulary import FIXED_CLIENT_LOGINS, FIXED_STAFF_LOGINS

DEMO_TOTP_KEY_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # the same key as oathtool -b takes it


def seed_demo_second_factor() -> list[str]:
    """Give each fixed demo login that needs a second factor the demo key; return their e-mails."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo two-factor keys are never seeded in production.")
    emails = [row[0] for row in FIXED_STAFF_LOGINS] + list(FIXED_CLIENT_LOGINS)
    seeded = []
    for user in User.objects.filter(email__in=emails).order_by("email"):
        if not requires_second_factor(user):
            continue
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo", key=DEMO_TOTP_KEY_HEX, confirmed=True)
            regenerate_recovery_codes(user)
        seeded.append(user.email)
    return seeded


def current_demo_code(email: str, *, on_wait: Callable[[float], None] | None = None) -> str | None:
    """A code of a demo login's app that its login accepts now (None when the user has no device with the
    demo key). A code counts once: when this half minute's was used, this waits for the next one (telling
    `on_wait` how long) rather than print a later step's, which the login would accept but which would move
    the device's drift ahead of the clock, so that an authenticator app's codes stop working."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo two-factor codes are not available in production.")
    device = TOTPDevice.objects.filter(
        user__email__iexact=email, confirmed=True, key=DEMO_TOTP_KEY_HEX
    ).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    for _step in range(device.tolerance + 2):  # a used step is at most the tolerance ahead of the clock
        if totp.t() > device.last_t:
            break
        wait = device.step - (time.time() - device.t0) % device.step + 0.05
        if on_wait is not None:
            on_wait(wait)
        time.sleep(wait)
    return f"{totp.token():0{device.digits}d}"
