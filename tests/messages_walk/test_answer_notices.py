"""Notices about answered messages name the thread, tell a final answer apart and read right for every
reader (colleagues get them too; no "your", no grammatical gender); opening the thread reads them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from backend.core.models import OutboxEvent
from backend.messaging.staff_writes import reply_as_staff, set_final_answer
from notifications.models import Notice
from notifications.services import create_notifications, send_delivery
from notifications.texts import notice_title
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
ANSWERED = OutboxEvent.Kind.MESSAGE_ANSWERED


def notices_of(event_kind=ANSWERED):
    event = OutboxEvent.objects.filter(kind=event_kind).latest("id")
    return event, create_notifications(event_id=event.pk)


def test_a_reply_and_a_final_answer_each_name_the_thread_for_the_author_and_a_colleague(
    bok_staff, client_user, acme, thread
):
    colleague = UserFactory(email="ewa@acme.pl", first_name="Ewa", last_name="Nowak")
    MembershipFactory(user=colleague, client=acme, is_default=True)

    reply_as_staff(user=bok_staff, thread=thread, body="Sprawdzamy.")
    _event, deliveries = notices_of()
    for notice in Notice.objects.filter(kind=ANSWERED):
        assert (
            notice_title(notice.kind, notice.payload)
            == "Nowa odpowiedź w wątku „Korekta adresu na fakturze”."
        )
    assert {n.recipient for n in Notice.objects.all()} == {client_user, colleague}
    # the author's e-mail says the same as the notice, without "your" and without a gender
    send_delivery(delivery_id=deliveries[0])
    assert mail.outbox[-1].subject == "Nowa odpowiedź w wątku „Korekta adresu na fakturze”"
    assert "Otrzymałeś" not in mail.outbox[-1].body and "odpowiedziało w wątku" in mail.outbox[-1].body

    set_final_answer(user=bok_staff, thread=thread, body="Adres poprawiony.")
    final_event, deliveries = notices_of()
    final = Notice.objects.filter(event=final_event).first()
    assert (
        notice_title(final.kind, final.payload)
        == "Ostateczna odpowiedź w wątku „Korekta adresu na fakturze”."
    )
    send_delivery(delivery_id=deliveries[0])
    assert mail.outbox[-1].subject == "Ostateczna odpowiedź w wątku „Korekta adresu na fakturze”"
    with translation.override("en"):
        assert (
            notice_title(final.kind, final.payload)
            == "Final answer in the thread “Korekta adresu na fakturze”."
        )


def test_a_long_subject_is_shortened_and_an_old_notice_without_one_still_reads_right():
    long = notice_title(ANSWERED, {"subject": "Temat" + "X" * 195})
    assert len(long) < 120 and long.endswith("…”.")
    assert (
        notice_title(ANSWERED, {"thread_id": 1}) == "Biuro Obsługi Klienta odpowiedziało w wątku wiadomości."
    )


def test_opening_the_thread_marks_its_notices_read_and_the_bell_drops(
    client, api_as, bok_staff, client_user, thread
):
    reply_as_staff(user=bok_staff, thread=thread, body="Sprawdzamy.")
    notices_of()
    api = api_as(client_user)
    assert api.get("/api/notices/unread-count/").json()["unread"] == 1

    client.force_login(client_user)
    assert client.get(f"/messages/{thread.pk}/").status_code == 200

    assert api.get("/api/notices/unread-count/").json()["unread"] == 0
    assert Notice.objects.get(recipient=client_user).read_at is not None


def test_opening_a_thread_leaves_other_notices_and_other_peoples_alone(
    client, bok_staff, client_user, acme, thread
):
    colleague = UserFactory(email="ewa@acme.pl")
    MembershipFactory(user=colleague, client=acme, is_default=True)
    reply_as_staff(user=bok_staff, thread=thread, body="Sprawdzamy.")
    notices_of()
    client.force_login(client_user)
    client.get(f"/messages/{thread.pk}/")
    assert Notice.objects.get(recipient=colleague).read_at is None
