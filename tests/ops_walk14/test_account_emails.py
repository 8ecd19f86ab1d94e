"""Account e-mails (activation, password reset) that cannot be sent are deliveries like a request's:
kept with their error, retried after a back-off, counted on the admin dashboard, sent again with a fresh
link; no usable link is stored anywhere."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from backend.accounts.activation import activation_token_generator
from backend.core.models import OutboxEvent
from notifications import tasks
from notifications.models import Delivery
from notifications.operations import operations
from tests.ops_walk14.conftest import back_off_over

pytestmark = pytest.mark.django_db


def _stored_text(delivery: Delivery) -> str:
    """Everything the portal keeps about the e-mail: the delivery's columns and its event's."""
    event = OutboxEvent.objects.get(pk=delivery.event_id)
    return " ".join(str(value) for value in [*vars(delivery).values(), *vars(event).values()])


def test_an_activation_link_that_cannot_be_sent_is_a_visible_delivery_sent_later_with_a_working_link(
    client, bok_staff, newcomer, broken_mail_folder, mail_repaired, django_capture_on_commit_callbacks
):
    # given: customer service send the activation link while the mail folder is broken
    client.force_login(bok_staff)
    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post(f"/staff/client-users/{newcomer.pk}/activation/")
    assert issued.status_code == 200

    # then: the e-mail is a delivery waiting for its next attempt, with the error, and the dashboard counts it
    delivery = Delivery.objects.get(recipient=newcomer, template="activation")
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "ImproperlyConfigured" in delivery.last_error
    assert delivery.next_retry_at is not None
    assert operations().pending_deliveries == 1
    assert "/activate/" not in _stored_text(delivery)  # no link (no token) kept to be read back
    assert mail.outbox == []

    # when: the mail folder is repaired and beat's relay runs after the back-off
    mail_repaired()
    back_off_over()
    tasks.relay_outbox.delay()

    # then: the e-mail goes out once, with a link made now that activates the account
    (message,) = mail.outbox
    assert message.to == [newcomer.email]
    uid, token = re.search(r"/activate/([^/\s]+)/([^/\s]+)/", message.body).groups()
    assert activation_token_generator.check_token(newcomer, token)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.SENT, "")


def test_a_password_reset_refused_by_the_mail_server_is_retried_not_dropped(
    client, client_user, settings, mail_repaired, django_capture_on_commit_callbacks
):
    # given: the mail server refuses connections when the user asks for a reset link
    settings.EMAIL_BACKEND = "tests.ops_walk14.test_account_emails.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": client_user.email})
    delivery = Delivery.objects.get(recipient=client_user, template="password_reset")
    assert delivery.status == Delivery.Status.PENDING and "SMTPConnectError" in delivery.last_error

    # when: the server takes mail again and the back-off is over
    mail_repaired()
    back_off_over()
    tasks.relay_outbox.delay()

    # then: one e-mail with a reset link
    (message,) = mail.outbox
    assert message.to == [client_user.email] and "/password-reset/" in message.body
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT


class RefusingBackend:
    """An SMTP server that refuses every connection."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def open(self):
        import smtplib

        raise smtplib.SMTPConnectError(421, "Service not available")

    def close(self) -> None:
        return None

    def send_messages(self, messages):
        self.open()
