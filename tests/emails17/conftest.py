"""The request flow and committed API calls of tests/notification_recipients, and mail helpers."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.notification_recipients.conftest import committed, contact_user, flow  # noqa: F401  fixtures


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox.clear()


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def html_of(message) -> str:
    return message.alternatives[0][0]
