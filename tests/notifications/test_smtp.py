"""One delivery path end to end through a real SMTP server on loopback."""

from __future__ import annotations

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from backend.core.models import OutboxEvent
from notifications import tasks
from notifications.models import Delivery


class Collect(Message):
    def __init__(self):
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


def test_decision_email_goes_through_smtp_once_in_html_and_text(smtp_server, client_user, make_event, acme):
    # given
    event = make_event(OutboxEvent.Kind.REQUEST_DECIDED, client=acme, status="approved", decision="approved")

    # when: delivered, and delivered again as a redelivered task would
    tasks.create_notifications.delay(event.pk)
    tasks.create_notifications.delay(event.pk)

    # then
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["To"] == client_user.email
    assert received["Message-ID"] == f"<delivery-{Delivery.objects.get().pk}@leasing.example>"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in received.walk()
        if not part.is_multipart()
    }
    assert "zaakceptowany" in parts["text/plain"]
    assert "<strong>zaakceptowany</strong>" in parts["text/html"]
    assert Delivery.objects.get().status == Delivery.Status.SENT
