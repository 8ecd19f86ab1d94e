"""Celery tasks of the clients app: the invitation e-mail of a new colleague."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from backend.accounts.activation import activation_url
from backend.accounts.models import User
from backend.clients.models import ClientMembership
from backend.core.mail import EMAIL_TASK_OPTIONS, absolute_url, render_email


@shared_task(**EMAIL_TASK_OPTIONS)
def send_invitation_email(user_id: int, client_id: int, inviter: str = "") -> None:
    """The activation link as in the welcome e-mail (accounts.activation, 7 days), naming the company.

    Skipped when the membership is gone or suspended by the time the worker runs; a user who has set a
    password already gets the login link instead.
    """
    membership = (
        ClientMembership.objects.select_related("user", "client")
        .filter(user_id=user_id, client_id=client_id, status=ClientMembership.Status.ACTIVE)
        .first()
    )
    if membership is None or not membership.user.is_active:
        return
    user: User = membership.user
    context = {
        "client_name": membership.client.name,
        "inviter": inviter or membership.client.name,
        "activation_url": "" if user.has_usable_password() else activation_url(user),
        "login_url": absolute_url(reverse("login")),
    }
    render_email(template="clients/email/invitation", user=user, context=context).send()
