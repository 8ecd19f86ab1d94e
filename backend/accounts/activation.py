"""One-time links that set a password: the welcome e-mail's activation link and the password reset.

Django's token generator signs the user's password hash and last login, so a link stops working once
it has set a password (one-time); nothing is stored. A reset link expires after PASSWORD_RESET_TIMEOUT
(1 hour), an activation link after ACTIVATION_TIMEOUT (7 days: the welcome e-mail may wait unread over
a weekend). The two are signed with different salts, so neither link works in the other's place.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from backend.accounts.audit import AuditAction
from backend.accounts.models import User
from backend.core.models import AuditLog
from backend.core.net import client_ip
from backend.core.services import record_audit
from notifications.texts import absolute_url

logger = logging.getLogger(__name__)

RATE_WINDOW = timedelta(hours=1)


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """The activation link's token: its own salt and its own lifetime (ACTIVATION_TIMEOUT)."""

    key_salt = "backend.accounts.activation.ActivationTokenGenerator"

    def check_token(self, user, token) -> bool:
        # Django's check_token compares the age with PASSWORD_RESET_TIMEOUT; the same steps, own limit.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - timestamp) <= settings.ACTIVATION_TIMEOUT


activation_token_generator = ActivationTokenGenerator()


def _link_kwargs(user: User, generator: PasswordResetTokenGenerator) -> dict[str, str]:
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": generator.make_token(user)}


def activation_url(user: User) -> str:
    """Return the absolute one-time link that activates the account by setting its password."""
    return absolute_url(reverse("account_activate", kwargs=_link_kwargs(user, activation_token_generator)))


def password_reset_url(user: User) -> str:
    return absolute_url(reverse("password_reset_confirm", kwargs=_link_kwargs(user, default_token_generator)))


def _reset_limit_reached(*, email: str, ip: str | None) -> str | None:
    """Return "account" or "ip" when that limit of the last hour is used up, else None.

    Counted from the audit log, which every request writes anyway: a database table, so every web
    process sees the same counts (a per-process cache would multiply the limits by the processes).
    Requests for unknown addresses count like the others, so the answer never tells them apart.
    """
    since = timezone.now() - RATE_WINDOW
    recent = AuditLog.objects.filter(created_at__gte=since)
    sent = recent.filter(action=AuditAction.PASSWORD_RESET_REQUESTED, username__iexact=email)
    if sent.count() >= settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT:
        return "account"
    if ip is not None:
        posted = recent.filter(
            action__in=[AuditAction.PASSWORD_RESET_REQUESTED, AuditAction.PASSWORD_RESET_THROTTLED],
            ip_address=ip,
        )
        if posted.count() >= settings.PASSWORD_RESET_LIMIT_PER_IP:
            return "ip"
    return None


def request_password_reset(*, email: str, request: HttpRequest | None = None) -> None:
    """Send a reset link to an active account with this e-mail; say nothing about unknown addresses.

    Over the hourly limits (per address, per IP) nothing is sent and the caller shows the same neutral
    confirmation; the refusal is logged and audited.
    """
    from notifications.tasks import send_password_reset_email

    email = email.strip()[:254]
    limited = _reset_limit_reached(email=email, ip=client_ip(request))
    if limited is not None:
        logger.warning("Password reset not sent: the per-%s hourly limit is reached", limited)
        record_audit(
            action=AuditAction.PASSWORD_RESET_THROTTLED,
            request=request,
            username=email,
            success=False,
            limit=limited,
        )
        return
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    record_audit(
        action=AuditAction.PASSWORD_RESET_REQUESTED,
        request=request,
        user=user,
        username=email,
        success=user is not None,
    )
    if user is not None:
        transaction.on_commit(lambda: send_password_reset_email.delay(user.pk))
