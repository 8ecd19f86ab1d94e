"""Celery tasks of the accounts app: the account e-mails, handed to notifications as deliveries.

Each task only records its e-mail's outbox event (backend/accounts/account_emails.py); notifications makes
the delivery and sends it, so a failure is kept, retried with back-off and shown to administrators like
a request's e-mail. The tasks keep their names and arguments: messages queued before an upgrade still run.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from backend.accounts.account_emails import AccountEmail, record_account_email
from backend.accounts.models import User

# Recording touches only the database: retry soon when it was busy or away. Sending is the delivery's.
ACCOUNT_EMAIL_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


def _active_user(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


@shared_task(
    # The name it had in notifications.tasks: a reset queued before an upgrade is still delivered.
    name="notifications.tasks.send_password_reset_email",
    **ACCOUNT_EMAIL_TASK_OPTIONS,
)
def send_password_reset_email(user_id: int) -> None:
    """A password reset link; each attempt to send it makes a fresh one, and any unused link still works."""
    if (user := _active_user(user_id)) is not None:
        record_account_email(user, AccountEmail.PASSWORD_RESET)


@shared_task(name="accounts.tasks.send_activation_email", **ACCOUNT_EMAIL_TASK_OPTIONS)
def send_activation_email(user_id: int) -> None:
    """The activation link (the first channel; the one-time code travels by hand)."""
    if (user := _active_user(user_id)) is not None:
        record_account_email(user, AccountEmail.ACTIVATION)


@shared_task(name="accounts.tasks.send_second_factor_reset_email", **ACCOUNT_EMAIL_TASK_OPTIONS)
def send_second_factor_reset_email(user_id: int) -> None:
    """Tell the user their second factor was reset (a reset they did not ask for must not go unnoticed)."""
    if (user := _active_user(user_id)) is not None:
        record_account_email(user, AccountEmail.SECOND_FACTOR_RESET)
