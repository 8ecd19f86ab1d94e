from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from backend.core import prepared_writes
from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event
from notifications import services, tasks
from notifications.models import Delivery, Notice
from notifications.texts import stage_label
from tests.factories import MembershipFactory, UserFactory

Kind = OutboxEvent.Kind


class FlakyBackend:
    """An e-mail backend that fails a given number of sends, then delivers to django.core.mail.outbox."""

    failures_left = 0
    error: Exception = OSError("connection reset")

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend(*args, **kwargs)

    def send_messages(self, messages):
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise FlakyBackend.error
        return self.inner.send_messages(messages)

    def open(self):
        return True

    def close(self):
        return None


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_services.FlakyBackend"
    FlakyBackend.failures_left = 0
    return FlakyBackend


@pytest.fixture
def thread_of(acme):
    """Return a maker of message threads the given user started."""
    from backend.messaging.models import MessageThread

    def make(user):
        return MessageThread.objects.create(
            client=acme, subject="Faktura", category=MessageThread.Category.INVOICES, created_by=user
        )

    return make


@pytest.fixture
def english_colleague(acme):
    user = UserFactory(email="john.smith@acme.pl", first_name="John", language="en")
    MembershipFactory(user=user, client=acme, is_default=True)
    return user


def test_stage_change_mails_the_submitter_and_contact_once_each_in_their_language(
    client_user, english_colleague, other_client_user, make_event, acme
):
    # given: Anna submitted the request and named her English colleague as its contact person
    event = make_event(client=acme, stage="staff_review", contact_email=english_colleague.email)
    with translation.override("pl"):
        stage_pl = stage_label("staff_review")

    # when
    tasks.create_notifications.delay(event.pk)

    # then
    assert set(Notice.objects.values_list("recipient__email", flat=True)) == {
        client_user.email,
        english_colleague.email,
    }
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {client_user.email, english_colleague.email}
    polish, english = by_recipient[client_user.email], by_recipient[english_colleague.email]
    assert "nowy etap" in polish.subject
    assert stage_pl in polish.body
    assert "new stage" in english.subject
    assert polish.alternatives[0].mimetype == "text/html"
    assert f"<strong>{stage_pl}</strong>" in polish.alternatives[0].content
    event.refresh_from_db()
    assert event.notified_at is not None


def test_redelivered_task_makes_no_second_notice_or_email(client_user, make_event, acme):
    # given
    event = make_event(Kind.REQUEST_WAITING_FOR_CLIENT, client=acme)
    tasks.create_notifications.delay(event.pk)

    # when: the broker hands the same task out again
    tasks.create_notifications.delay(event.pk)
    for delivery in Delivery.objects.all():
        tasks.send_delivery.delay(delivery.pk)

    # then
    assert Notice.objects.count() == 1
    assert len(mail.outbox) == 1


def test_worker_dying_mid_task_still_sends_each_email_exactly_once(
    client_user, english_colleague, make_event, acme, flaky_mail
):
    # given: the first e-mail goes out, then the worker dies before the second one is sent
    event = make_event(
        Kind.REQUEST_DECIDED, client=acme, status="approved", contact_email=english_colleague.email
    )
    delivery_ids = services.create_notifications(event_id=event.pk)
    assert services.send_delivery(delivery_id=delivery_ids[0]) is True
    Delivery.objects.filter(pk=delivery_ids[1]).update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=1
    )

    # when: the task is redelivered at once, and the beat relay runs after the sending lease ran out
    tasks.create_notifications.delay(event.pk)
    sent_before_lease = len(mail.outbox)
    Delivery.objects.filter(pk=delivery_ids[1]).update(claimed_at=timezone.now() - services.SENDING_LEASE * 2)
    tasks.relay_outbox.delay()

    # then
    assert sent_before_lease == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [client_user.email, english_colleague.email]
    )
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    assert Notice.objects.count() == 2


def _back_off_over() -> None:
    """The time of every delivery's next attempt has come (as if its back-off had been waited out)."""
    Delivery.objects.filter(next_retry_at__isnull=False).update(next_retry_at=timezone.now())


def test_smtp_errors_are_retried_after_their_back_off_until_the_email_goes_out(
    client_user, make_event, acme, flaky_mail
):
    # given
    flaky_mail.failures_left = 2
    event = make_event(Kind.REQUEST_DECIDED, client=acme, status="approved")

    # when: the first attempt and the relay's after each back-off
    tasks.create_notifications.delay(event.pk)
    for _ in range(2):
        _back_off_over()
        tasks.relay_outbox.delay()

    # then
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 3
    assert len(mail.outbox) == 1
    assert "zatwierdzony" in mail.outbox[0].subject


def test_a_refused_email_waits_on_its_row_not_in_a_celery_retry(client_user, make_event, acme, flaky_mail):
    # given
    flaky_mail.failures_left = 1
    event = make_event(Kind.REQUEST_DECIDED, client=acme, status="approved")

    # when
    tasks.create_notifications.delay(event.pk)

    # then: the row holds the error and its next attempt's time; the task does not retry it itself
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.next_retry_at > timezone.now() + timedelta(seconds=50)
    assert tasks.send_delivery.acks_late is True
    assert OSError not in tasks.send_delivery.autoretry_for


def test_committed_event_is_dispatched_after_commit_only(
    client_user, acme, thread_of, django_capture_on_commit_callbacks
):
    # given / when
    thread = thread_of(client_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_outbox_event(
            kind=Kind.MESSAGE_ANSWERED, subject=thread, client_id=acme.pk, payload={"thread_id": thread.pk}
        )
        sent_before_commit = len(mail.outbox)
    for callback in callbacks:
        callback()

    # then
    assert sent_before_commit == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [client_user.email]


def test_relay_requeues_events_left_unnotified_by_a_crash(client_user, make_event, acme):
    # given: committed, but the process died before the on-commit dispatch
    event = make_event(client=acme)
    OutboxEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    # when
    result = tasks.relay_outbox.delay().get()

    # then
    assert result["events"] == 1
    assert Notice.objects.filter(event=event).count() == 1
    assert len(mail.outbox) == 1


def test_events_without_notifications_make_none(client_user, make_event, acme):
    # given
    event = make_event(Kind.REQUEST_COMMENT, client=acme)

    # when
    tasks.create_notifications.delay(event.pk)

    # then
    assert Notice.objects.count() == 0
    assert mail.outbox == []
    event.refresh_from_db()
    assert event.notified_at is not None


def test_stage_change_into_waiting_for_client_sends_one_email_not_two(client_user, make_event, acme):
    # given: helper B's services write both events in one commit
    stage = make_event(
        Kind.REQUEST_STAGE_CHANGED, client=acme, status="waiting_for_client", waiting_for="client"
    )
    waiting = make_event(
        Kind.REQUEST_WAITING_FOR_CLIENT, client=acme, status="waiting_for_client", waiting_for="client"
    )

    # when
    tasks.create_notifications.delay(stage.pk)
    tasks.create_notifications.delay(waiting.pk)

    # then
    assert len(mail.outbox) == 1
    assert "czekamy na Twoją odpowiedź" in mail.outbox[0].subject
    assert Notice.objects.get().kind == Kind.REQUEST_WAITING_FOR_CLIENT


def test_relay_resends_a_delivery_whose_task_was_lost(client_user, make_event, acme, thread_of):
    # given: notices and delivery rows were made, but the e-mail task never reached the broker
    thread = thread_of(client_user)
    event = make_event(Kind.MESSAGE_ANSWERED, client=acme, request_id=thread.pk, thread_id=thread.pk)
    services.create_notifications(event_id=event.pk)
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=10))

    # when
    result = tasks.relay_outbox.delay().get()

    # then
    assert result["deliveries"] == 1
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_relay_leaves_a_failed_delivery_alone_until_its_back_off_is_over(
    client_user, make_event, acme, flaky_mail
):
    # given: the SMTP server refused the first attempt
    flaky_mail.failures_left = 1
    event = make_event(Kind.REQUEST_DECIDED, client=acme, status="approved")
    tasks.create_notifications.delay(event.pk)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert "connection reset" in delivery.last_error
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=30))

    # when: the relay runs during the back-off, then after it
    soon = tasks.relay_outbox.delay().get()["deliveries"]
    _back_off_over()
    later = tasks.relay_outbox.delay().get()["deliveries"]

    # then
    assert (soon, later) == (0, 1)
    assert len(mail.outbox) == 1


def test_a_batch_claims_and_marks_its_emails_together(client_user, make_event, acme):
    # given two events of a batch
    reminder = make_event(Kind.REQUEST_REMINDER, client=acme)
    decided = make_event(Kind.REQUEST_DECIDED, client=acme, status="approved")

    # when the batch's task runs
    with CaptureQueriesContext(connection) as queries:
        tasks.create_notifications_for_events.delay([reminder.pk, decided.pk])

    # then: one claim and one "sent" for both e-mails, not a pair of writes per e-mail
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "notifications_delivery"')
    ]
    assert len(writes) == 2
    assert len(mail.outbox) == Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2


def test_a_batch_sends_its_emails_in_the_same_task_and_a_failed_one_is_retried_after_its_back_off(
    client_user, make_event, acme, flaky_mail
):
    # given two events of a batch, and an SMTP server that refuses the first two attempts
    flaky_mail.failures_left = 2
    reminder = make_event(Kind.REQUEST_REMINDER, client=acme)
    decided = make_event(Kind.REQUEST_DECIDED, client=acme, status="approved")

    # when the batch's task runs (backend/core/task_batches.py merges the ids of a moment's commits), and
    # the relay after the back-off
    tasks.create_notifications_for_events.delay([reminder.pk, decided.pk])
    _back_off_over()
    tasks.relay_outbox.delay()

    # then every e-mail went out exactly once: both were refused in the batch (the server's first two
    # refusals), and each went out on its first retry
    assert Delivery.objects.exclude(status=Delivery.Status.SENT).count() == 0
    assert len(mail.outbox) == Delivery.objects.count() == 2
    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [2, 2]


def test_a_batch_reads_its_events_in_one_statement_and_handles_each_once(client_user, make_event, acme):
    # given three events of a moment's commits, one named twice and one id of a row that is gone
    reminder = make_event(Kind.REQUEST_REMINDER, client=acme)
    decided = make_event(Kind.REQUEST_DECIDED, client=acme, status="approved")
    waiting = make_event(Kind.REQUEST_WAITING_FOR_CLIENT, client=acme)

    # when
    with CaptureQueriesContext(connection) as queries:
        services.create_notifications_for_events(
            event_ids=[reminder.pk, decided.pk, reminder.pk, waiting.pk, waiting.pk + 1000]
        )

    # then
    event_reads = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "core_outboxevent"."id"')
    ]
    assert len(event_reads) == 1
    assert not OutboxEvent.objects.filter(
        pk__in=[reminder.pk, decided.pk, waiting.pk], notified_at=None
    ).exists()
    assert Notice.objects.filter(event=reminder).count() == Notice.objects.filter(event=decided).count() >= 1
    assert Delivery.objects.filter(event=reminder).count() == len(
        set(Delivery.objects.filter(event=reminder).values_list("recipient_id", flat=True))
    )


def _statements_by_table(queries) -> dict[str, int]:
    counts: dict[str, int] = {}
    for query in queries.captured_queries:
        sql = query["sql"]
        for table in (
            "requests_app_portalrequest",
            "clients_clientmembership",
            "notifications_notificationpreference",
        ):
            if sql.startswith("SELECT") and f'FROM "{table}"' in sql:
                counts[table] = counts.get(table, 0) + 1
        for table in ("notifications_notice", "notifications_delivery"):
            if sql.startswith("INSERT") and f'"{table}"' in sql:
                counts[f"insert {table}"] = counts.get(f"insert {table}", 0) + 1
    return counts


@pytest.mark.parametrize("events_of_the_request", [2, 6])
def test_a_batch_reads_its_request_company_and_preferences_once_and_inserts_its_rows_together(
    client_user, make_event, acme, events_of_the_request
):
    # given a batch of one request's events (reminders and decisions: each makes notices and e-mails)
    kinds = [Kind.REQUEST_REMINDER, Kind.REQUEST_DECIDED] * (events_of_the_request // 2)
    events = [make_event(kind, client=acme, status="approved") for kind in kinds]

    # when the worker handles the batch
    with CaptureQueriesContext(connection) as queries:
        services.create_notifications_for_events(event_ids=[event.pk for event in events])

    # then the request, the company's users and their preferences are read once however many events
    # name them, and the notices and deliveries go in one INSERT each
    assert _statements_by_table(queries) == {
        "requests_app_portalrequest": 1,
        "clients_clientmembership": 1,
        "notifications_notificationpreference": 1,
        "insert notifications_notice": 1,
        "insert notifications_delivery": 1,
    }
    # and every event has its own rows, as when each was handled alone
    for event in events:
        assert Notice.objects.filter(event=event, recipient=client_user).count() == 1
        assert Delivery.objects.filter(event=event, recipient=client_user).count() == 1


def test_a_batch_larger_than_one_insert_keeps_every_row(client_user, make_event, acme, monkeypatch):
    # given a batch whose rows need several INSERTs
    monkeypatch.setattr(prepared_writes, "ROWS_PER_STATEMENT", 2)
    events = [make_event(Kind.REQUEST_REMINDER, client=acme) for _ in range(5)]

    # when
    services.create_notifications_for_events(event_ids=[event.pk for event in events])

    # then each event has its notice and delivery once
    assert sorted(Notice.objects.values_list("event_id", flat=True)) == sorted(event.pk for event in events)
    assert sorted(Delivery.objects.values_list("event_id", flat=True)) == sorted(event.pk for event in events)


def test_a_staff_comment_reaches_the_client_as_a_notice_and_an_email(client_user, make_event, acme):
    """Staff's comments (and a complaint's extended deadline, a revoked permit) made no notice and no e-mail:
    the client learnt of them only by opening the request."""
    comment = make_event(Kind.REQUEST_COMMENT, client=acme, author="staff")
    extended = make_event(
        Kind.REQUEST_COMMENT, client=acme, request_id=502, author="staff", deadline_to="2027-01-28"
    )
    own = make_event(Kind.REQUEST_COMMENT, client=acme, request_id=503, author="client")

    for event in (comment, extended, own):
        tasks.create_notifications.delay(event.pk)

    assert Notice.objects.filter(event=own).count() == 0
    assert Notice.objects.filter(event=comment, recipient=client_user).count() == 1
    assert Notice.objects.filter(event=extended, recipient=client_user).count() == 1
    bodies = {message.subject: message.body for message in mail.outbox}
    assert set(bodies) == {
        "Wniosek WN/2026/000501: informacja od Biura Obsługi Klienta",
        "Wniosek WN/2026/000501: nowy termin odpowiedzi",
    }
    assert "przedłużono do 28.01.2027" in bodies["Wniosek WN/2026/000501: nowy termin odpowiedzi"]
