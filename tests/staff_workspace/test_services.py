"""Services of the staff inbox: one per action, the same for the page and the API."""

from __future__ import annotations

import pytest

from backend.core.exceptions import InvalidTransition, PortalValidationError
from backend.core.models import AuditLog, OutboxEvent
from backend.messaging.client_writes import add_client_comment
from backend.messaging.models import InternalNote, Message, MessageThread
from backend.messaging.staff_writes import add_internal_note, assign_thread, reply_as_staff, set_final_answer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_client_message_writes_a_received_event_for_the_staff_push(thread):
    event = OutboxEvent.objects.get(kind=OutboxEvent.Kind.MESSAGE_RECEIVED)
    assert event.client_id == thread.client_id
    assert event.payload["thread_id"] == thread.pk
    assert event.payload["new_thread"] is True


def test_a_client_comment_writes_a_received_event(thread, client_user):
    message = add_client_comment(user=client_user, thread=thread, body="Dopisuję jeszcze jedno.")
    events = OutboxEvent.objects.filter(kind=OutboxEvent.Kind.MESSAGE_RECEIVED).order_by("id")
    assert [e.payload["message_id"] for e in events][-1] == message.pk
    assert events.last().payload["new_thread"] is False


def test_a_staff_reply_answers_the_thread_and_takes_an_unassigned_one(thread, bok_staff):
    reply_as_staff(user=bok_staff, thread=thread, body="Korekta wysłana.")
    thread.refresh_from_db()
    assert thread.status == MessageThread.Status.ANSWERED
    assert thread.assignee == bok_staff
    assert thread.assigned_at is not None


def test_a_reply_keeps_someone_elses_assignment(thread, bok_staff, second_staff):
    assign_thread(user=second_staff, thread=thread, assignee=second_staff)
    reply_as_staff(user=bok_staff, thread=thread, body="Odpowiadam w zastępstwie.")
    thread.refresh_from_db()
    assert thread.assignee == second_staff


def test_the_final_answer_closes_the_thread_and_refuses_more_replies(thread, bok_staff):
    set_final_answer(user=bok_staff, thread=thread, body="Ostateczna odpowiedź.")
    thread.refresh_from_db()
    assert thread.status == MessageThread.Status.CLOSED
    assert thread.final_answer == "Ostateczna odpowiedź."
    assert thread.final_answer_by == bok_staff
    with pytest.raises(InvalidTransition):
        reply_as_staff(user=bok_staff, thread=thread, body="Jeszcze coś.")


def test_assign_take_over_and_release_are_audited(thread, bok_staff, second_staff):
    assign_thread(user=bok_staff, thread=thread, assignee=second_staff)
    thread.refresh_from_db()
    assert thread.assignee == second_staff
    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)  # take over
    thread.refresh_from_db()
    assert thread.assignee == bok_staff
    assign_thread(user=bok_staff, thread=thread, assignee=None)  # release
    thread.refresh_from_db()
    assert thread.assignee is None and thread.assigned_at is None
    audits = list(AuditLog.objects.filter(action="message.assigned").order_by("id"))
    assert [a.detail["assignee_id"] for a in audits] == [second_staff.pk, bok_staff.pk, None]
    assert audits[1].detail["previous_assignee_id"] == second_staff.pk


def test_assigning_the_same_person_again_writes_nothing(thread, bok_staff):
    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)
    assign_thread(user=bok_staff, thread=thread, assignee=bok_staff)
    assert AuditLog.objects.filter(action="message.assigned").count() == 1


@pytest.mark.parametrize("who", ["client", "inactive"])
def test_a_thread_goes_only_to_active_back_office_users(thread, bok_staff, client_user, who):
    assignee = client_user if who == "client" else UserFactory(role="staff", is_active=False)
    with pytest.raises(PortalValidationError):
        assign_thread(user=bok_staff, thread=thread, assignee=assignee)
    thread.refresh_from_db()
    assert thread.assignee is None


def test_an_internal_note_is_no_message_and_only_a_staff_event(thread, bok_staff):
    events_before = OutboxEvent.objects.count()
    note = add_internal_note(user=bok_staff, thread=thread, body="Klient dzwonił, czeka na korektę.")
    assert InternalNote.objects.get(pk=note.pk).thread == thread
    assert not Message.objects.filter(body__contains="Klient dzwonił").exists()
    new_events = OutboxEvent.objects.order_by("id")[events_before:]
    assert [(e.kind, e.client_id) for e in new_events] == [(OutboxEvent.Kind.MESSAGE_INTERNAL_NOTE, None)]
