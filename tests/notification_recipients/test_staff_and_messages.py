"""Staff e-mails (a task back with them, client messages, the daily digest) and answered messages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageThread
from backend.messaging.staff_writes import reply_as_staff
from notifications import services, tasks
from notifications.models import DigestDelivery, Notice
from tests.notification_recipients.conftest import mails_per_recipient, subjects_of

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def test_client_reply_mails_the_assigned_staff_member_with_a_link_to_the_task(flow, client_user, bok_staff):
    # given: staff asked the client (and so hold the task)
    request_id = flow.submit(contact_email=client_user.email)
    flow.ask(request_id)
    mail.outbox.clear()

    # when
    flow.reply(request_id)

    # then
    assert mails_per_recipient() == {bok_staff.email: 1}
    assert subjects_of(bok_staff.email) == [f"Wniosek {mail.outbox[0].subject.split()[1]} czeka na Ciebie"]
    assert f"/staff/tasks/{request_id}/" in mail.outbox[0].body


def test_staff_member_who_switched_task_mails_off_gets_none(flow, client_user, bok_staff):
    # given
    services.set_notification_preferences(user=bok_staff, email_task_assigned=False)
    request_id = flow.submit(contact_email=client_user.email)
    flow.ask(request_id)
    mail.outbox.clear()

    # when
    flow.reply(request_id)

    # then
    assert bok_staff.email not in mails_per_recipient()


def test_unclaimed_new_request_mails_no_staff(flow, client_user, bok_staff, second_staff):
    # when
    flow.submit(contact_email=client_user.email)

    # then
    assert mails_per_recipient() == {}


def test_answer_to_a_message_mails_its_author_only(
    acme, client_user, contact_user, bystanders, bok_staff, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        thread = start_thread(
            user=client_user,
            client=acme,
            subject="Faktura",
            category="invoices",
            body="Gdzie jest faktura?",
            contract=None,
        )
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        reply_as_staff(user=bok_staff, thread=thread, body="Wysłaliśmy ją wczoraj.")

    # then
    assert mails_per_recipient() == {client_user.email: 1}
    assert Notice.objects.filter(kind="message.answered").count() == 5  # every user sees it in the portal


def test_client_message_mails_staff_who_opted_in(
    acme, client_user, bok_staff, second_staff, django_capture_on_commit_callbacks
):
    # given: only the second staff member wants these e-mails (off by default)
    services.set_notification_preferences(user=second_staff, email_new_message=True)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        start_thread(
            user=client_user,
            client=acme,
            subject="Polisa",
            category="insurance",
            body="Pytanie",
            contract=None,
        )

    # then
    assert mails_per_recipient() == {second_staff.email: 1}
    assert "ACME Logistyka" in mail.outbox[0].subject


def test_daily_digest_goes_once_a_day_to_staff_who_chose_it(flow, client_user, bok_staff, second_staff, acme):
    with time_machine.travel(datetime(2026, 12, 1, 7, 0, tzinfo=WARSAW), tick=False) as traveller:
        # given: a task of bok's back in review and a client message nobody answered
        services.set_notification_preferences(user=bok_staff, daily_digest=True)
        request_id = flow.submit(contact_email=client_user.email)
        flow.ask(request_id)
        flow.reply(request_id)
        MessageThread.objects.create(
            client=acme, subject="Faktura 12/2026", category="invoices", created_by=client_user
        )
        mail.outbox.clear()

        # when: beat fires, then the task is run again the same day (a redelivery, a second beat)
        first = tasks.send_staff_digests.delay().get()
        traveller.shift(timedelta(hours=6))
        again = tasks.send_staff_digests.delay().get()

        # then
        assert (first, again) == (1, 0)
        assert mails_per_recipient() == {bok_staff.email: 1}
        digest = mail.outbox[0]
        assert f"/staff/tasks/{request_id}/" in digest.body
        assert "Faktura 12/2026" in digest.body

        # when: the next day
        traveller.shift(timedelta(days=1))
        next_day = tasks.send_staff_digests.delay().get()

        # then
        assert next_day == 1
        assert list(DigestDelivery.objects.values_list("day", flat=True)) == [
            datetime(2026, 12, 1).date(),
            datetime(2026, 12, 2).date(),
        ]


def test_digest_with_nothing_to_list_is_not_sent(bok_staff):
    # given
    services.set_notification_preferences(user=bok_staff, daily_digest=True)

    # when
    sent = tasks.send_staff_digests.delay().get()

    # then
    assert sent == 0
    assert mail.outbox == []
