"""Two-factor login: who must use it, how a code is checked, and what marks a session as verified.

Required for staff, analysts, admins, superusers and client administrators; optional for other client
users (once enrolled, always asked). Codes come from a TOTP app (django-otp's TOTPDevice) or a single-use
recovery code (StaticDevice). Wrong codes are reported as failed logins, so they count toward the same
django-axes lock-out as wrong passwords and land in the audit log. The bank's single sign-on is strong
authentication by itself and marks its session verified without a code.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.accounts.account_emails import AccountEmail, record_account_email
from backend.accounts.audit import AuditAction
from backend.accounts.models import SecondFactorSecret, User
from backend.core.safety import is_demo_totp_key
from backend.core.services import record_audit

# Session keys. VERIFIED holds how the second factor was met ("totp", "recovery_code", "remembered_device",
# "enrolled", "bank_sso"); its absence on a session of a user who needs one is what the gate stops.
VERIFIED_SESSION_KEY = "portal_second_factor"
PENDING_SESSION_KEY = "portal_second_factor_pending"
OPTIONAL_UNTIL_SESSION_KEY = "portal_second_factor_optional_until"
PENDING_MAX_AGE = timedelta(minutes=5)
# A user who needs no second factor is re-checked at most this often (a new client admin, a new device).
OPTIONAL_RECHECK = timedelta(seconds=60)

REMEMBER_COOKIE = "portal_device"
_REMEMBER_SALT = "backend.accounts.second_factor.remember"
RECOVERY_CODE_COUNT = 10
STRONG_METHODS = {"totp", "recovery_code", "remembered_device", "enrolled", "bank_sso"}


def is_client_admin(user: User) -> bool:
    """True when the user administers a client (membership `is_admin`), whatever the clients app's version.

    By name through the app registry: accounts sits below clients in the layers, and the field may not
    exist yet on an older schema.
    """
    try:
        membership = apps.get_model("clients", "ClientMembership")
        membership._meta.get_field("is_admin")
    except (LookupError, FieldDoesNotExist):
        return False
    admins = membership.objects.filter(user=user, is_admin=True)
    try:
        membership._meta.get_field("status")
        admins = admins.filter(status="active")  # neither suspended nor an invitation not accepted yet
    except FieldDoesNotExist:
        pass
    return admins.exists()


def requires_second_factor(user: User) -> bool:
    """Staff, analysts, admins, superusers and client administrators must use a second factor."""
    return bool(user.is_back_office or user.is_superuser or user.is_staff or is_client_admin(user))


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(VERIFIED_SESSION_KEY) in STRONG_METHODS


def session_meets_second_factor(user: User, session) -> bool:
    """For WebSockets (no gate there): a session that owes the second factor gets no socket."""
    if session is not None and session.get(VERIFIED_SESSION_KEY) in STRONG_METHODS:
        return True
    return not (has_second_factor(user) or requires_second_factor(user))


def mark_verified(request: HttpRequest, method: str) -> None:
    """Record that this session met the second factor (kept until logout: the session key is rotated)."""
    request.session[VERIFIED_SESSION_KEY] = method
    request.session.pop(PENDING_SESSION_KEY, None)
    request.session.pop(OPTIONAL_UNTIL_SESSION_KEY, None)


# --- codes -------------------------------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()[:32]


def check_code(user: User, code: str) -> str | None:
    """Return "totp" or "recovery_code" when `code` is valid for the user (a recovery code is used up)."""
    code = _normalise(code)
    if not code:
        return None
    if code.isdigit() and len(code) == 6:
        # Locked like the recovery codes: the device's last used step is read, checked and advanced by one
        # request at a time, so a code posted by several sessions at the same moment logs in only one.
        with transaction.atomic():
            for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                # A published demo key never counts in production (backend/core/safety.py refuses it too).
                if settings.PRODUCTION and is_demo_totp_key(device.key):
                    continue
                if device.verify_token(code):  # remembers the last step used: a code works once
                    return "totp"
        return None
    with transaction.atomic():
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):  # deletes the matching token: single use
                return "recovery_code"
    return None


def report_wrong_code(request: HttpRequest, user: User, *, purpose: str) -> None:
    """Count a wrong code as a failed login: axes' lock-out and the audit log ("second_factor_failed")."""
    request.portal_second_factor = purpose
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


def report_wrong_password(request: HttpRequest, user: User) -> None:
    """A wrong password typed inside the session (a first enrolment): a failed login, as at the login page."""
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


def is_locked_out(request: HttpRequest, user: User) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {"username": user.email})


# --- enrolment, recovery codes, reset ---------------------------------------------------------------


class SecondFactorChange(StrEnum):
    """A change the user made to their own second factor; each is e-mailed to them (a change they did not
    make must not go unnoticed). A reset by customer service has an e-mail of its own."""

    ENROLLED = "enrolled"  # the first app
    REPLACED = "replaced"  # another phone
    DISABLED = "disabled"
    RECOVERY_CODES = "recovery_codes"  # new codes: the earlier ones no longer work


def tell_user_of_change(user: User, change: SecondFactorChange) -> None:
    """Record the security e-mail about `change` in the caller's transaction (sent once it commits; the
    event's time is the change's)."""
    record_account_email(user, AccountEmail.SECOND_FACTOR_CHANGED, change=str(change))


def start_enrolment(user: User) -> TOTPDevice:
    """A fresh unconfirmed TOTP device (earlier unconfirmed ones are dropped); confirmed by a first code."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Aplikacja", confirmed=False)


def pending_enrolment(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def confirm_enrolment(request: HttpRequest, user: User, code: str) -> list[str] | None:
    """Confirm the pending device with its first code; return fresh recovery codes, or None if wrong."""
    device = pending_enrolment(user)
    if device is None or not device.verify_token(_normalise(code)):
        return None
    with transaction.atomic():
        # One app per user: a confirmed one already there is replaced (another phone).
        replaced, _by_model = TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = regenerate_recovery_codes(user)
        rotate_remember_secret(user)
        tell_user_of_change(user, SecondFactorChange.REPLACED if replaced else SecondFactorChange.ENROLLED)
    record_audit(action=AuditAction.SECOND_FACTOR_ENROLLED, request=request, user=user)
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Kody zapasowe", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def renew_recovery_codes(request: HttpRequest, user: User) -> list[str]:
    """The user's new recovery codes (Konto → Bezpieczeństwo, after the current code): audited, e-mailed."""
    with transaction.atomic():
        codes = regenerate_recovery_codes(user)
        tell_user_of_change(user, SecondFactorChange.RECOVERY_CODES)
    record_audit(action=AuditAction.RECOVERY_CODES_REGENERATED, request=request, user=user)
    return codes


# The recovery codes just generated, kept only for the page that shows them to download them: a few
# minutes, then dropped from the session (by the download, or by the gate on any later request).
FRESH_CODES_SESSION_KEY = "portal_second_factor_fresh_codes"
FRESH_CODES_MAX_AGE = timedelta(minutes=5)


def keep_fresh_codes(session, codes: list[str]) -> None:
    session[FRESH_CODES_SESSION_KEY] = {"codes": codes, "at": timezone.now().timestamp()}


def fresh_codes(session) -> list[str]:
    """The codes generated in this session less than FRESH_CODES_MAX_AGE ago; older ones are dropped."""
    fresh = session.get(FRESH_CODES_SESSION_KEY)
    if fresh is None:
        return []
    age = timezone.now().timestamp() - float(fresh.get("at", 0)) if isinstance(fresh, dict) else None
    if age is None or not 0 <= age <= FRESH_CODES_MAX_AGE.total_seconds():
        session.pop(FRESH_CODES_SESSION_KEY, None)
        return []
    return list(fresh.get("codes") or [])


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove_second_factor(user: User) -> bool:
    """Delete the user's authenticator app and recovery codes and forget every remembered browser, in the
    caller's transaction; False when the user had neither app nor codes."""
    apps, _by_model = TOTPDevice.objects.filter(user=user).delete()
    codes, _by_model = StaticDevice.objects.filter(user=user).delete()
    rotate_remember_secret(user)
    return bool(apps or codes)


def disable_second_factor(request: HttpRequest, user: User) -> None:
    """Remove the app and the recovery codes and forget remembered browsers (only where optional)."""
    with transaction.atomic():
        remove_second_factor(user)
        tell_user_of_change(user, SecondFactorChange.DISABLED)
    record_audit(action=AuditAction.SECOND_FACTOR_DISABLED, request=request, user=user)


# --- "remember this device for 30 days" --------------------------------------------------------------


def _remember_secret(user: User) -> str:
    secret, _ = SecondFactorSecret.objects.get_or_create(
        user=user, defaults={"remember_secret": secrets.token_hex(32)}
    )
    return secret.remember_secret


def rotate_remember_secret(user: User) -> None:
    """Void every remembered browser of the user."""
    SecondFactorSecret.objects.update_or_create(
        user=user, defaults={"remember_secret": secrets.token_hex(32), "rotated_at": timezone.now()}
    )


def _binding(user: User, secret: str) -> str:
    # Bound to the password hash too: a password change or reset forgets the remembered browsers.
    return salted_hmac(_REMEMBER_SALT, f"{user.pk}:{user.password}:{secret}", algorithm="sha256").hexdigest()


def remember_device(response: HttpResponse, user: User) -> None:
    value = signing.dumps({"u": user.pk, "b": _binding(user, _remember_secret(user))}, salt=_REMEMBER_SALT)
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=int(timedelta(days=settings.SECOND_FACTOR_REMEMBER_DAYS).total_seconds()),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def is_remembered_device(request: HttpRequest, user: User) -> bool:
    """True when the request carries this user's unexpired, unrevoked "remember this device" cookie."""
    value = request.COOKIES.get(REMEMBER_COOKIE)
    if not value:
        return False
    max_age = timedelta(days=settings.SECOND_FACTOR_REMEMBER_DAYS)
    try:
        data = signing.loads(value, salt=_REMEMBER_SALT, max_age=max_age)
    except signing.BadSignature:  # tampered or older than 30 days (SignatureExpired is a BadSignature)
        return False
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return False
    return constant_time_compare(str(data.get("b", "")), _binding(user, _remember_secret(user)))
