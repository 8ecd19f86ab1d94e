"""Templated e-mails in the recipient's language, and absolute links to the portal for them.

Used by notifications, which sends every e-mail as a delivery (an outbox event's, an account e-mail's);
`absolute_url` also by the apps that print links in documents and forms.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

# SMTP refusals, dropped connections and timeouts are worth another try later; a bad template is not.
RETRYABLE_EMAIL_ERRORS = (smtplib.SMTPException, OSError, OperationalError)


def absolute_url(path: str) -> str:
    """The portal's own page at `path`, as an e-mail links to it (PORTAL_BASE_URL)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def email_language(user) -> str:
    """The user's saved language when the portal has it, else Polish (also for no user at all)."""
    language = getattr(user, "language", "") if user is not None else ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_email(
    *, template: str, user, context: dict, message_id: str | None = None, address: str = ""
) -> EmailMultiAlternatives:
    """Render `<template>.subject.txt`, `.txt` and `.html` in the user's language into one message.

    `template` is the templates' path without the suffix ("notifications/email/welcome"). Without a user
    (a contact person who has no account) it goes to `address`, in Polish.
    """
    context = {
        "user": user,
        "portal_url": absolute_url("/"),
        "customer_service_phone": settings.CUSTOMER_SERVICE_PHONE,
        **context,
    }
    with translation.override(email_language(user)):
        subject = render_subject(f"{template}.subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    # Auto-Submitted (RFC 3834): no out-of-office answers to it; a reply goes to customer service, who read.
    headers = {"Auto-Submitted": "auto-generated", **({"Message-ID": message_id} if message_id else {})}
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email if user is not None else address],
        reply_to=[settings.CUSTOMER_SERVICE_EMAIL],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def render_subject(template_name: str, context: dict) -> str:
    """A subject line: plain text, so nothing is HTML-escaped (a company "A & B" stays so), on one line.
    Every subject is rendered here, so no subject template needs its own {% autoescape off %}."""
    template = get_template(template_name).template  # the Django engine's Template: takes a Context
    return " ".join(template.render(Context(context, autoescape=False)).split())
