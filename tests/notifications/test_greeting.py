"""E-mails greet a Polish reader with "Dzień dobry," (the nominative "Dzień dobry, Anna," is wrong and
the vocative cannot be derived); an English reader is greeted by name."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.core.models import OutboxEvent
from backend.messaging.staff_writes import reply_as_staff
from notifications.services import create_notifications, send_delivery

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "greeting"), [("pl", "Dzień dobry,\n"), ("en", "Hello Anna,\n")])
def test_an_email_greets_the_reader_as_their_language_does(
    language, greeting, bok_staff, client_user, thread
):
    # given
    client_user.language = language
    client_user.save(update_fields=["language"])
    reply_as_staff(user=bok_staff, thread=thread, body="Sprawdzamy.")
    event = OutboxEvent.objects.filter(kind=OutboxEvent.Kind.MESSAGE_ANSWERED).latest("id")
    # when
    for delivery_id in create_notifications(event_id=event.pk):
        send_delivery(delivery_id=delivery_id)
    # then
    sent = [m for m in mail.outbox if m.to == [client_user.email]]
    assert sent and sent[-1].body.startswith(greeting)
    assert "Dzień dobry, Anna" not in sent[-1].body
    html = sent[-1].alternatives[0][0]
    assert f"<p>{greeting.strip()}</p>" in html
