"""A request's e-mail when the mail server or the worker was away: attempts are counted only when an
e-mail is really tried, each waits out its back-off (up to an hour), copies of tasks re-queued during an
outage are harmless, a broken mail configuration is recorded, and the admin's failed list is read-only
with a "Resend"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from backend.accounts.models import User
from notifications import services, tasks
from notifications.models import Delivery
from tests.ops_walk14.conftest import back_off_over
from tests.ops_walk14.test_account_emails import RefusingBackend

pytestmark = pytest.mark.django_db

REFUSING = f"{RefusingBackend.__module__}.{RefusingBackend.__qualname__}"


def test_copies_of_tasks_queued_while_the_worker_was_down_spend_one_attempt(
    answered_event, client_user, settings
):
    # given: the worker was down for ten minutes, so beat queued the event's task and the relay ten times;
    # the mail server is down too
    settings.EMAIL_BACKEND = REFUSING

    # when: the worker comes back and runs every copy
    for _ in range(10):
        tasks.create_notifications.delay(answered_event.pk)
        tasks.relay_outbox.delay()

    # then: one attempt, and the e-mail waits a minute for the next one instead of being failed for good
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.next_retry_at - timezone.now() > timedelta(seconds=50)
    assert "SMTPConnectError" in delivery.last_error


def test_the_back_off_doubles_up_to_an_hour_and_the_tenth_failure_is_final(answered_event, settings):
    # given
    settings.EMAIL_BACKEND = REFUSING
    tasks.create_notifications.delay(answered_event.pk)
    waits = []

    # when: the relay tries again each time the back-off is over
    for _ in range(services.MAX_ATTEMPTS):
        delivery = Delivery.objects.get()
        if delivery.status == Delivery.Status.FAILED:
            break
        waits.append(round((delivery.next_retry_at - timezone.now()).total_seconds() / 60))
        back_off_over()
        tasks.relay_outbox.delay()

    # then
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_retry_at) == (Delivery.Status.FAILED, 10, None)


def test_a_mail_configuration_that_cannot_connect_is_recorded_on_the_delivery(
    answered_event, broken_mail_folder
):
    # when
    tasks.create_notifications.delay(answered_event.pk)

    # then: not left "sending" without a word: the error is kept and the back-off applies
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert "ImproperlyConfigured" in delivery.last_error
    assert delivery.next_retry_at > timezone.now()


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser("root@leasing.example", "Root-password-2026", role=User.Role.ADMIN)
    client.force_login(admin)
    return client


def test_the_failed_deliveries_list_is_read_only_in_polish_and_resends_a_failed_email(
    admin_client, answered_event, client_user, settings, mail_repaired, django_capture_on_commit_callbacks
):
    # given: an e-mail failed for good while the mail server was down
    settings.EMAIL_BACKEND = REFUSING
    tasks.create_notifications.delay(answered_event.pk)
    Delivery.objects.update(status=Delivery.Status.FAILED, attempts=services.MAX_ATTEMPTS, next_retry_at=None)
    delivery = Delivery.objects.get()
    changelist = "/admin/notifications/delivery/"

    # when: an administrator opens the failed list, the row, and tries to add or change one
    listing = admin_client.get(changelist, {"status__exact": "failed"})
    detail = admin_client.get(f"{changelist}{delivery.pk}/change/")
    add = admin_client.get(f"{changelist}add/")
    edit = admin_client.post(f"{changelist}{delivery.pk}/change/", {"status": "sent", "attempts": 0})

    # then: Polish labels, the error shown, nothing to save
    html = listing.content.decode()
    assert listing.status_code == 200
    for label in (
        "Wyślij ponownie teraz (e-maile niewysłane)",
        "Ostatni błąd",
        "Następna próba",
        "Niepowodzenie",
    ):
        assert label in html, label
    assert "SMTPConnectError" in html
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert add.status_code == 403
    assert edit.status_code == 403
    assert Delivery.objects.get().status == Delivery.Status.FAILED

    # when: the mail server works again and the administrator resends it
    mail_repaired()
    with django_capture_on_commit_callbacks(execute=True):
        resent = admin_client.post(
            changelist, {"action": "resend", "_selected_action": [delivery.pk]}, follow=True
        )

    # then: it goes out once and is sent; resending a sent one sends nothing more
    assert "1 z 1" in resent.content.decode()
    assert [message.to for message in mail.outbox] == [[client_user.email]]
    assert Delivery.objects.get().status == Delivery.Status.SENT
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(changelist, {"action": "resend", "_selected_action": [delivery.pk]})
    assert len(mail.outbox) == 1
