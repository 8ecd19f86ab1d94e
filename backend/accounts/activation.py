"""One-time links that set a password: the welcome e-mail's activation link and the password reset link.

Django's token generator signs the user's password hash and last login, so a link stops working once
it has set a password (one-time); nothing is stored. A reset link expires after PASSWORD_RESET_TIMEOUT
(1 hour), an activation link after ACTIVATION_TIMEOUT (7 days: the welcome e-mail may wait unread over
a weekend). The two are signed with different salts, so neither link works in the other's place.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from backend.accounts.models import User
from backend.core.mail import absolute_url


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
