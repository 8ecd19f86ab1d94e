"""Ask for a password reset link by e-mail, within hourly limits per address and per IP address."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from backend.accounts.account_emails import AccountEmail, record_account_email
from backend.accounts.activation_code import activation_withdrawn
from backend.accounts.audit import AuditAction
from backend.accounts.models import User
from backend.core.models import AuditLog
from backend.core.net import client_ip
from backend.core.services import record_audit

logger = logging.getLogger(__name__)

RATE_WINDOW = timedelta(hours=1)


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
    """Send a reset link to an active, activated account with this e-mail (a fresh activation link to one
    not activated yet); say nothing about others.

    Over the hourly limits (per address, per IP) nothing is sent and the caller shows the same neutral
    confirmation; the refusal is logged and audited.
    """
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
    # Not activated yet: the first password needs the activation link AND the code handed over by a
    # person, so a reset link by e-mail alone would skip that second channel. Such a user (whose
    # activation link expired: the welcome e-mail and the expired link's page send them here) gets a fresh
    # activation link instead, unless the company withdrew the invitation. Same neutral answer, same limits.
    activating = user is not None and not user.has_usable_password()
    if activating and activation_withdrawn(user):
        user = None
    with transaction.atomic():  # the audit row (which the limits count) and the e-mail's outbox event
        record_audit(
            action=AuditAction.PASSWORD_RESET_REQUESTED,
            request=request,
            user=user,
            username=email,
            success=user is not None,
            **({"sent": "activation"} if user is not None and activating else {}),
        )
        if user is not None:
            record_account_email(user, AccountEmail.ACTIVATION if activating else AccountEmail.PASSWORD_RESET)
