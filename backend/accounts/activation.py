"""One-time links that set a password: the welcome e-mail's activation link and the password reset.

Django's token generator signs the user's password hash and last login, so a link stops working once
it has set a password (one-time) and after PASSWORD_RESET_TIMEOUT (7 days); nothing is stored.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backend.accounts.audit import AuditAction
from backend.accounts.models import User
from backend.core.services import record_audit
from notifications.texts import absolute_url


def _link_kwargs(user: User) -> dict[str, str]:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def activation_url(user: User) -> str:
    """Return the absolute one-time link that activates the account by setting its password."""
    return absolute_url(reverse("account_activate", kwargs=_link_kwargs(user)))


def password_reset_url(user: User) -> str:
    return absolute_url(reverse("password_reset_confirm", kwargs=_link_kwargs(user)))


def request_password_reset(*, email: str, request: HttpRequest | None = None) -> None:
    """Send a reset link to an active account with this e-mail; say nothing about unknown addresses."""
    from notifications.tasks import send_password_reset_email

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    record_audit(
        action=AuditAction.PASSWORD_RESET_REQUESTED,
        request=request,
        user=user,
        username=email.strip()[:254],
        success=user is not None,
    )
    if user is not None:
        transaction.on_commit(lambda: send_password_reset_email.delay(user.pk))
