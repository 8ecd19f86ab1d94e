"""A contact person outside the portal is reminded too, with a fresh reply link: the question's own link
has expired by the day-14 reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.requests_app.models import RequestEvent, RequestStatus
from backend.requests_app.timers import sweep_due_timers
from tests.reply_link.helpers import ask_with_contact, reply_link_path

pytestmark = pytest.mark.django_db

CONTACT = "jan.zewnetrzny@example.com"


def test_the_outside_contact_gets_the_reminder_with_a_fresh_link_that_works(
    client, api_as, client_user, bok_staff, acme_contract, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given staff's question reached the outside contact with a link (valid while the reply is awaited)
        request_id = ask_with_contact(
            api_as,
            django_capture_on_commit_callbacks,
            submitter=client_user,
            staff=bok_staff,
            contract=acme_contract,
            contact_email=CONTACT,
            question="Proszę o numer rachunku.",
        )
        first_link = reply_link_path(CONTACT)
        mail.outbox.clear()

        # when 14 days pass without a reply (the reminder's fresh link retires the first one)
        traveller.shift(timedelta(days=14, seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1

        # then the contact is reminded too, with a new link
        (reminder,) = [m for m in mail.outbox if m.to == [CONTACT]]
        assert reminder.subject.startswith("Przypomnienie")
        assert "Nadal czekamy na informacje" in reminder.body
        fresh_link = reply_link_path(CONTACT)
        assert fresh_link != first_link
        assert client.post(first_link, {"message": "Za późno"}).status_code == 410

        # and the new link takes the answer
        sent = client.post(fresh_link, {"message": "PL61 1090 1014 0000 0712 1981 2874"})
        assert sent.status_code == 200
        reply = RequestEvent.objects.get(request_id=request_id, kind=RequestEvent.Kind.REPLY)
        assert reply.data == {"via": "reply_link", "email": CONTACT}
        assert reply.request.status == RequestStatus.IN_REVIEW
