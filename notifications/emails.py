"""Build the e-mails of deliveries: HTML and text, in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from backend.accounts.models import User
from notifications.texts import absolute_url, decision_label, stage_label, subject_path

TEMPLATE_DIR = "notifications/email"


def render_email(*, template: str, user: User, context: dict, message_id: str | None = None):
    """Render `<template>.subject.txt`, `.txt` and `.html` in the user's language into one message."""
    language = user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    context = {"user": user, "portal_url": absolute_url("/"), **context}
    with translation.override(language):
        subject = render_to_string(f"{TEMPLATE_DIR}/{template}.subject.txt", context)
        text = render_to_string(f"{TEMPLATE_DIR}/{template}.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/{template}.html", context)
    headers = {"Message-ID": message_id} if message_id else {}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[user.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def _delivery_context(delivery) -> dict:
    event = delivery.event
    payload = event.payload or {}
    context = {
        "number": payload.get("number") or payload.get("request_id") or event.subject_id,
        "link": absolute_url(subject_path(event.kind, event.subject_id, payload)),
    }
    with translation.override(delivery.recipient.language or settings.LANGUAGE_CODE):
        context["decision"] = decision_label(payload.get("decision") or payload.get("status"))
        context["stage"] = stage_label(payload.get("stage"))
    if delivery.template == "welcome":
        from backend.accounts.activation import activation_url

        context["activation_url"] = activation_url(delivery.recipient)
        context["login_url"] = absolute_url(reverse("login"))
        context["client_name"] = event.client.name if event.client_id else ""
    return context


def build_email(delivery) -> EmailMultiAlternatives:
    """Return the e-mail of a delivery; its Message-ID is fixed so a re-send is a recognisable duplicate."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "portal.local"
    return render_email(
        template=delivery.template,
        user=delivery.recipient,
        context=_delivery_context(delivery),
        message_id=f"<delivery-{delivery.pk}@{domain}>",
    )
