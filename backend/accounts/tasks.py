"""Celery tasks of the accounts app."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import OperationalError

from backend.accounts.activation import activation_url, password_reset_url
from backend.accounts.models import User
from backend.core.mail import render_email

# SMTP refusals, dropped connections and timeouts are worth another try later; a bad template is not.
RETRYABLE = (smtplib.SMTPException, OSError, OperationalError)


@shared_task(
    # The name it had in notifications.tasks: a reset queued before an upgrade is still delivered.
    name="notifications.tasks.send_password_reset_email",
    acks_late=True,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
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


@shared_task(
    name="accounts.tasks.send_activation_email",
    acks_late=True,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
)
def send_activation_email(user_id: int) -> None:
    """Send the activation link (the first channel; the one-time code travels by hand)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        render_email(
            template="accounts/email/activation",
            user=user,
            context={"activation_url": activation_url(user)},
        ).send()
