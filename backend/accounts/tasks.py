"""Celery tasks of the accounts app."""

from __future__ import annotations

from celery import shared_task

from backend.accounts.activation import activation_url, password_reset_url
from backend.accounts.models import User
from backend.core.mail import EMAIL_TASK_OPTIONS, render_email

# SMTP refusals, dropped connections and timeouts are worth another try later; a bad template is not.


@shared_task(
    # The name it had in notifications.tasks: a reset queued before an upgrade is still delivered.
    name="notifications.tasks.send_password_reset_email",
    **EMAIL_TASK_OPTIONS,
)
def send_password_reset_email(user_id: int) -> None:
    """Send a fresh password reset link; a retry makes a new link, and any unused link still works."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        render_email(
            template="accounts/email/password_reset",
            user=user,
            context={"reset_url": password_reset_url(user)},
        ).send()


@shared_task(name="accounts.tasks.send_activation_email", **EMAIL_TASK_OPTIONS)
def send_activation_email(user_id: int) -> None:
    """Send the activation link (the first channel; the one-time code travels by hand)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        render_email(
            template="accounts/email/activation",
            user=user,
            context={"activation_url": activation_url(user)},
        ).send()
