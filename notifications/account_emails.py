"""The account e-mails' deliveries (backend/accounts/account_emails.py: activation, password reset,
second factor, invitation…): each rendered from its own app's template with its links made as it goes."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from backend.accounts.account_emails import AccountEmail
from backend.accounts.activation import activation_url, password_reset_url
from backend.accounts.second_factor import requires_second_factor
from backend.clients.models import Client
from backend.core import mail
from backend.core.mail import absolute_url
from backend.core.money import format_datetime

# The account e-mails: the templates of the apps they are about.
ACCOUNT_EMAIL_TEMPLATES = {
    AccountEmail.PASSWORD_RESET: "accounts/email/password_reset",
    AccountEmail.ACTIVATION: "accounts/email/activation",
    AccountEmail.SECOND_FACTOR_RESET: "accounts/email/second_factor_reset",
    AccountEmail.SECOND_FACTOR_CHANGED: "accounts/email/second_factor_changed",
    AccountEmail.PASSWORD_CHANGED: "accounts/email/password_changed",
    AccountEmail.INVITATION: "clients/email/invitation",
}


def render_account_email(delivery, *, message_id: str) -> EmailMultiAlternatives:
    """The e-mail of an account e-mail's delivery (its template in ACCOUNT_EMAIL_TEMPLATES)."""
    return mail.render_email(
        template=ACCOUNT_EMAIL_TEMPLATES[delivery.template],
        user=delivery.recipient,
        context=_account_email_context(delivery),
        message_id=message_id,
    )


def _account_email_context(delivery) -> dict:
    """The links of an account e-mail, made now: a one-time link is issued afresh at each attempt (a
    resend included) and stored nowhere; the user's state decides as it is when the e-mail goes."""
    user, payload = delivery.recipient, delivery.event.payload or {}
    login_url = absolute_url(reverse("login"))
    if delivery.template == AccountEmail.PASSWORD_RESET:
        return {"reset_url": password_reset_url(user)}
    if delivery.template == AccountEmail.ACTIVATION:
        return {"activation_url": activation_url(user)}
    if delivery.template == AccountEmail.SECOND_FACTOR_RESET:
        return {"must_enrol": requires_second_factor(user), "login_url": login_url}
    if delivery.template == AccountEmail.SECOND_FACTOR_CHANGED:
        # When: the event's time (written with the change), in the recipient's format.
        return {
            "change": payload.get("change", ""),
            "at": format_datetime(delivery.event.created_at, lang=mail.email_language(user)),
            "security_url": absolute_url(reverse("account-security")),
        }
    if delivery.template == AccountEmail.PASSWORD_CHANGED:
        # When: the event's time (written with the new password), Warsaw time in the recipient's format.
        return {
            "at": format_datetime(delivery.event.created_at, lang=mail.email_language(user)),
            "login_url": login_url,
        }
    client = Client.objects.get(pk=payload["client_id"])  # the invitation names the company
    to_accept = bool(payload.get("to_accept"))
    return {
        "client_name": client.name,
        "inviter": payload.get("inviter") or client.name,
        # Someone who had an account already logs in and accepts (backend/clients/members.py); someone who
        # has set a password already gets the login link only.
        "to_accept": to_accept,
        "activation_url": "" if to_accept or user.has_usable_password() else activation_url(user),
        "login_url": login_url,
    }
