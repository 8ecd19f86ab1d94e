"""Build the e-mail of a delivery, HTML and text in the recipient's language: what every delivery's e-mail
says (its number, link, stage and decision, where to switch it off), and by template the client's
(client_emails.py), the staff's (staff_emails.py) or an account e-mail (account_emails.py)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from backend.core import mail
from backend.core.mail import absolute_url
from notifications.account_emails import ACCOUNT_EMAIL_TEMPLATES, render_account_email
from notifications.client_emails import client_context
from notifications.email_rendering import message_id_domain, render_email
from notifications.recipients import (
    AUTO_CANCEL_TEMPLATE,
    EMAIL_KINDS,
    NEW_MESSAGE_TEMPLATE,
    REPLY_MISSED_TEMPLATE,
    REQUEST_ASSIGNED_TEMPLATE,
    TASK_CANCELLED_TEMPLATE,
    TASK_TEMPLATE,
    THREAD_ASSIGNED_TEMPLATE,
)
from notifications.staff_emails import STAFF_TEMPLATES, refuse_outdated_overdue, staff_context
from notifications.texts import Versions, decision_label, stage_label, subject_path
from notifications.waiting_emails import refuse_outdated_wait

# E-mails a notification preference switches off (notifications/recipients.py: EMAIL_KINDS, the staff's).
SWITCHABLE_TEMPLATES = {
    *(template for template, _preference in EMAIL_KINDS.values()),
    AUTO_CANCEL_TEMPLATE,
    REPLY_MISSED_TEMPLATE,
    TASK_TEMPLATE,
    TASK_CANCELLED_TEMPLATE,
    THREAD_ASSIGNED_TEMPLATE,
    REQUEST_ASSIGNED_TEMPLATE,
    NEW_MESSAGE_TEMPLATE,
}


def build_email(delivery, *, versions: Versions | None = None) -> EmailMultiAlternatives:
    """Return the e-mail of a delivery; its Message-ID is fixed so a re-send is a recognisable duplicate.
    `versions`: the process versions of a batch's requests (texts.process_versions), read once. Raises
    EmailNotNeeded, sending nothing, when what the e-mail asks for is over by now."""
    refuse_outdated_overdue(delivery)
    refuse_outdated_wait(delivery)
    message_id = f"<delivery-{delivery.pk}@{message_id_domain()}>"
    if delivery.template in ACCOUNT_EMAIL_TEMPLATES:
        return render_account_email(delivery, message_id=message_id)
    return render_email(
        template=delivery.template,
        user=delivery.recipient,
        address=delivery.address,
        context=_delivery_context(delivery, versions),
        message_id=message_id,
    )


def _delivery_context(delivery, versions: Versions | None = None) -> dict:
    event = delivery.event
    payload = event.payload or {}
    context = {
        "number": payload.get("number") or payload.get("request_id") or event.subject_id,
        "link": absolute_url(subject_path(event.kind, event.subject_id, payload)),
    }
    with translation.override(mail.email_language(delivery.recipient)):
        context["decision"] = decision_label(payload.get("decision") or payload.get("status"))
        context["stage"] = stage_label(payload.get("stage"), payload, versions=versions)
    # The staff's e-mails and the client's say different things (each may replace the link above).
    if delivery.template in STAFF_TEMPLATES:
        context.update(staff_context(delivery))
        # Their footer does not tell them a reply reaches customer service: they are customer service.
        context["staff_recipient"] = True
    else:
        context.update(client_context(delivery, context["number"]))
    if delivery.template in SWITCHABLE_TEMPLATES and delivery.recipient is not None:
        # Whoever can switch this e-mail off is told where (Moje konto's e-mail notifications).
        context["preferences_url"] = absolute_url(reverse("account-page") + "#notification-preferences")
    return context
