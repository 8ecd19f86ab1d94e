"""The first invoice's welcome e-mail says that the link needs a one-time code too, and who hands it over."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.core.models import OutboxEvent
from notifications.tasks import create_notifications
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_welcome_names_the_second_channel_in_both_languages(acme, client_user):
    # given
    colleague = UserFactory(email="ewa@acme.pl", language="en")
    MembershipFactory(user=colleague, client=acme, is_default=True)
    event = OutboxEvent.objects.create(
        kind=OutboxEvent.Kind.INVOICE_ISSUED,
        client=acme,
        subject_type="invoices.invoice",
        subject_id=1,
        payload={"first_for_client": True, "invoice_id": 1},
    )

    # when
    create_notifications.delay(event.pk)

    # then: text and HTML parts, Polish and English
    polish = next(message for message in mail.outbox if message.to == [client_user.email])
    english = next(message for message in mail.outbox if message.to == [colleague.email])
    for part in (polish.body, polish.alternatives[0].content):
        assert "jednorazowy kod aktywacyjny" in part
        assert "administrator Twojej firmy" in part and "Biuro Obsługi Klienta" in part
    for part in (english.body, english.alternatives[0].content):
        assert "one-time activation code" in part and "never by e-mail" in part
