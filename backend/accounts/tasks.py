"""Celery tasks of the accounts app."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from backend.accounts.activation import activation_url, password_reset_url
from backend.accounts.models import User
from backend.core.mail import EMAIL_TASK_OPTIONS, absolute_url, render_email

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


@shared_task(name="accounts.tasks.send_second_factor_reset_email", **EMAIL_TASK_OPTIONS)
def send_second_factor_reset_email(user_id: int) -> None:
    """Tell the user their second factor was reset (a reset they did not ask for must not go unnoticed)."""
    from backend.accounts.second_factor import requires_second_factor

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        render_email(
            template="accounts/email/second_factor_reset",
            user=user,
            context={"must_enrol": requires_second_factor(user), "login_url": absolute_url(reverse("login"))},
        ).send()
