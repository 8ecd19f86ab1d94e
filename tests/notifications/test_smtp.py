"""One delivery path end to end through a real SMTP server on loopback."""

from __future__ import annotations

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from backend.core.models import OutboxEvent
from notifications import services, tasks
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
    assert "zatwierdzony" in parts["text/plain"]
    assert "<strong>zatwierdzony</strong>" in parts["text/html"]
    assert Delivery.objects.get().status == Delivery.Status.SENT


class CountSessions(Collect):
    """Collects messages, counts SMTP sessions, refuses the recipient of the `refuse`-th message."""

    def __init__(self, refuse: int | None = None):
        super().__init__()
        self.sessions: set[int] = set()
        self.recipients_seen = 0
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients_seen += 1
        if self.recipients_seen == self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.sessions.add(id(session))
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("refuse", [None, 2])
def test_a_batch_of_emails_shares_one_smtp_session_and_a_refused_one_does_not_stop_the_rest(
    smtp_server, settings, refuse, client_user, make_event, acme
):
    # given: a server that counts its sessions (and refuses the second recipient), three decisions
    handler = CountSessions(refuse=refuse)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_PORT = controller.port
    events = [
        make_event(OutboxEvent.Kind.REQUEST_DECIDED, client=acme, status="approved", decision="approved")
        for _ in range(3)
    ]

    pending = services.create_notifications_for_events(event_ids=[event.pk for event in events])

    # when: the batch's e-mails sent as the worker's batch task sends them
    try:
        sent, failures = services.send_deliveries(delivery_ids=pending)
    finally:
        controller.stop()

    # then
    deliveries = list(Delivery.objects.order_by("pk"))
    if refuse is None:
        assert len(handler.messages) == 3 and len(handler.sessions) == 1
        assert sent == pending and failures == []
        assert [delivery.status for delivery in deliveries] == [Delivery.Status.SENT] * 3
    else:
        # the refused e-mail waits for its retry; the session after it is a fresh one
        assert len(handler.messages) == 2 and len(handler.sessions) == 2
        assert [delivery.status for delivery in deliveries] == [
            Delivery.Status.SENT,
            Delivery.Status.PENDING,
            Delivery.Status.SENT,
        ]
        assert "550" in deliveries[1].last_error
        assert [delivery_id for delivery_id, _error in failures] == [pending[1]]
