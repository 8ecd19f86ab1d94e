"""Assigning, taking over and releasing a thread reaches the other staff's open inbox live (an outbox event
for the back office alone), and a colleague given a thread hears about it like a task assigned."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.core import mail

from backend.core.models import OutboxEvent
from backend.messaging.client_writes import start_thread
from backend.messaging.staff_writes import assign_thread
from notifications.models import Notice
from notifications.push import STAFF_GROUP, groups_for_event, message_for_event
from notifications.services import create_notifications, send_delivery
from tests.notifications.sockets import close, communicator_for, headers_for, receive_event, run

ASSIGNED = OutboxEvent.Kind.MESSAGE_ASSIGNED


@pytest.mark.django_db
def test_each_change_of_hands_is_one_staff_only_event(bok_staff, second_staff, thread):
    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)  # take
    assign_thread(user=bok_staff, thread=thread, assignee=second_staff)  # give to a colleague
    assign_thread(user=bok_staff, thread=thread, assignee=second_staff)  # no change: no event
    assign_thread(user=second_staff, thread=thread, assignee=None)  # release
    events = list(OutboxEvent.objects.filter(kind=ASSIGNED).order_by("id"))
    assert [e.payload["assignee_id"] for e in events] == [bok_staff.pk, second_staff.pk, None]
    for event in events:
        assert event.client_id is None  # the client hears nothing: not their business
        assert groups_for_event(event) == [STAFF_GROUP]
        assert message_for_event(event)["event"]["thread_id"] == thread.pk


@pytest.mark.django_db
def test_a_thread_given_to_a_colleague_mails_them_and_makes_no_notice(bok_staff, second_staff, thread):
    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)
    taken = OutboxEvent.objects.filter(kind=ASSIGNED).last()
    assert create_notifications(event_id=taken.pk) == []  # taking it yourself mails nobody

    assign_thread(user=bok_staff, thread=thread, assignee=second_staff)
    given = OutboxEvent.objects.filter(kind=ASSIGNED).last()
    deliveries = create_notifications(event_id=given.pk)
    assert len(deliveries) == 1
    send_delivery(delivery_id=deliveries[0])
    sent = mail.outbox[-1]
    assert sent.to == [second_staff.email]
    assert sent.subject == "Przypisano Ci wątek wiadomości klienta ACME Logistyka sp. z o.o."
    assert "„Korekta adresu na fakturze”" in sent.body and "Barbara Obsługa" in sent.body
    assert f"/staff/messages/{thread.pk}/" in sent.body
    assert not Notice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_other_staffs_open_inbox_hears_the_assignment_and_the_client_does_not(
    fast_relay, bok_staff, second_staff, client_user, acme
):
    thread = start_thread(
        user=client_user, client=acme, subject="Polisa", category="insurance", body="?", contract=None
    )
    staff_headers, client_headers = headers_for(second_staff), headers_for(client_user)

    @database_sync_to_async
    def take_it() -> int:
        assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)
        return OutboxEvent.objects.filter(kind=ASSIGNED).latest("id").pk

    @database_sync_to_async
    def client_writes() -> int:
        from backend.messaging.client_writes import add_client_comment

        add_client_comment(user=client_user, thread=thread, body="Jeszcze pytanie")
        return OutboxEvent.objects.filter(kind=OutboxEvent.Kind.MESSAGE_RECEIVED).latest("id").pk

    async def events_until(communicator, event_id: int) -> list[dict]:
        received = [await receive_event(communicator)]
        while received[-1]["id"] != event_id:  # the thread's own "new message" may come first
            received.append(await receive_event(communicator))
        return received

    async def scenario():
        staff, client = communicator_for(staff_headers), communicator_for(client_headers)
        await staff.connect()
        await client.connect()
        await staff.receive_json_from(timeout=5)  # hello
        await client.receive_json_from(timeout=5)
        assigned_id = await take_it()
        staff_events = await events_until(staff, assigned_id)
        comment_id = await client_writes()  # a later event of the client's own
        client_events = await events_until(client, comment_id)
        await close(staff, client)
        return assigned_id, staff_events, client_events

    assigned_id, staff_events, client_events = run(scenario)

    assert staff_events[-1]["kind"] == "message.assigned"
    assert staff_events[-1]["thread_id"] == thread.pk
    # the client's socket got its own comment, written after the assignment, and never the assignment
    assert assigned_id not in [event["id"] for event in client_events]
