"""A password changed: by the reset link or by "Zmień hasło" (the first password, set by activation, is no
change). The user is told by a security e-mail, like of a change to their second factor."""

from __future__ import annotations

from backend.accounts.account_emails import AccountEmail, record_account_email
from backend.accounts.models import User


def tell_user_of_password_change(user: User) -> None:
    """Record the "your password was changed" e-mail in the caller's transaction, the one that saves the
    password: sent once it commits, exactly once per change; the event's time is the change's."""
    record_account_email(user, AccountEmail.PASSWORD_CHANGED)
