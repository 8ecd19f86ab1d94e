"""What an administrator reads on the dashboard's "Stan systemu" and /readyz: e-mails failing now (not
hours later), the worker's words in Polish, and a worker that has just started not reported missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.signals import worker_ready
from django.utils import timezone, translation

from backend.accounts.models import User
from backend.core.health import worker_state
from backend.core.models import OutboxEvent, WorkerHeartbeat
from notifications import tasks
from notifications.models import Delivery
from notifications.operations import operations
from notifications.services import MAX_ATTEMPTS
from tests.factories import UserFactory
from tests.ops_walk14.conftest import back_off_over

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_worker_settings(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.fixture
def admin_browser(client):
    client.force_login(
        UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True, email="ops@leasing.example")
    )
    return client


def _pending_email(client_user) -> Delivery:
    event = OutboxEvent.objects.create(
        kind=OutboxEvent.Kind.ACCOUNT_EMAIL,
        subject_type="accounts.user",
        subject_id=client_user.pk,
        payload={"email": "activation"},
    )
    return Delivery.objects.create(event=event, recipient=client_user, template="activation")


def test_the_dashboard_says_emails_fail_at_the_first_failed_attempt_with_the_error_and_a_link(
    admin_browser, client_user, broken_mail_folder
):
    # given: the mail folder is broken and one e-mail's first attempt failed (far from MAX_ATTEMPTS)
    delivery = _pending_email(client_user)
    tasks.send_delivery_batch.delay([delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1) and MAX_ATTEMPTS > 1

    # when
    html = admin_browser.get("/staff/").content.decode()

    # then: said now, with the error and the way to the e-mails concerned
    alert = html[html.index('data-testid="op-email-failing"') :][:1500]
    assert "Wysyłka e-maili nie działa" in alert
    assert "ImproperlyConfigured" in alert
    assert "/admin/notifications/delivery/?status__exact=pending&amp;attempts__gte=1" in alert
    tile_start = html.index('data-testid="op-failed"')
    assert "stat-tile bad" in html[tile_start - 60 : tile_start]
    # and the admin list behind the link lists that e-mail
    listed = admin_browser.get("/admin/notifications/delivery/?status__exact=pending&attempts__gte=1")
    assert listed.status_code == 200 and f"/admin/notifications/delivery/{delivery.pk}/change/" in (
        listed.content.decode()
    )


def test_emails_are_not_failing_once_one_is_sent_after_the_failure(
    client_user, broken_mail_folder, mail_repaired
):
    failed = _pending_email(client_user)
    tasks.send_delivery_batch.delay([failed.pk])
    assert operations().email.failing

    mail_repaired()
    back_off_over()
    tasks.send_delivery_batch.delay([failed.pk])

    assert not operations().email.failing


def test_an_old_failure_alone_is_not_failing_now(client_user):
    delivery = _pending_email(client_user)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED,
        last_error="SMTPConnectError()",
        claimed_at=timezone.now() - timedelta(hours=3),
    )
    assert not operations().email.failing


def test_worker_messages_are_in_the_readers_language(real_worker_settings):
    with translation.override("pl"):
        assert worker_state().message == "worker jeszcze nie widziany (brak sygnału)"
        WorkerHeartbeat.objects.create(
            name="worker", seen_at=timezone.now() - timedelta(minutes=5, seconds=3)
        )
        assert worker_state().message == "brak sygnału workera od 5 min"


def test_readyz_stays_english_for_probes(client, real_worker_settings):
    WorkerHeartbeat.objects.create(name="worker", seen_at=timezone.now() - timedelta(minutes=5, seconds=3))
    body = client.get("/readyz", HTTP_ACCEPT_LANGUAGE="pl").json()
    assert body["checks"]["worker"]["message"] == "worker not seen for 5 min"


def test_a_worker_that_starts_says_so_at_once(real_worker_settings):
    # given: no heartbeat yet, or one from before a restart long ago
    WorkerHeartbeat.objects.create(name="worker", seen_at=timezone.now() - timedelta(hours=2))
    assert not worker_state().ok

    # when: a worker finishes starting (before beat's first heartbeat, a minute later)
    worker_ready.send(sender=None)

    # then
    assert worker_state().ok
