"""Failures of background work as an operator meets them: broken mail, a stopped worker, a document
that cannot be written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.accounts.models import User
from backend.core.models import OutboxEvent
from notifications.models import Delivery
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def broken_mail_folder(settings, tmp_path):
    """The file mail backend pointed at a file where its folder should be: every connection it is asked
    for raises ImproperlyConfigured (the operator's "mail folder is broken")."""
    blocker = tmp_path / "mail"
    blocker.write_text("not a folder")
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(blocker)
    return blocker


@pytest.fixture
def mail_repaired(settings):
    """Return a function that puts the test suite's mail backend back (django.core.mail.outbox)."""

    def repair() -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    return repair


def back_off_over() -> None:
    """Every delivery waiting out its back-off is due now (as if the time had passed)."""
    Delivery.objects.filter(next_retry_at__isnull=False).update(next_retry_at=timezone.now())


@pytest.fixture
def newcomer(acme) -> User:
    """A client user invited but not activated yet (no password)."""
    user = UserFactory(email="nowy@acme.pl", first_name="Jan", last_name="Nowy")
    user.set_unusable_password()
    user.save()
    MembershipFactory(user=user, client=acme)
    return user


@pytest.fixture
def answered_event(client_user, acme):
    """A committed "your message has been answered" event: one e-mail, to the thread's author."""
    from backend.messaging.models import MessageThread

    thread = MessageThread.objects.create(
        client=acme, subject="Faktura", category=MessageThread.Category.INVOICES, created_by=client_user
    )
    return OutboxEvent.objects.create(
        kind=OutboxEvent.Kind.MESSAGE_ANSWERED,
        client=acme,
        subject_type="messaging.messagethread",
        subject_id=thread.pk,
        payload={"thread_id": thread.pk, "subject": thread.subject},
    )


@pytest.fixture
def queued(settings, monkeypatch) -> list[int]:
    """A real worker's set-up: decision documents go to the broker; here their ids are only collected."""
    from backend.requests_app import tasks as request_tasks
    from notifications import tasks as notification_tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.TASK_BATCH_SECONDS = 0  # each message at once
    ids: list[int] = []
    monkeypatch.setattr(request_tasks.render_decision_documents, "delay", ids.extend)
    monkeypatch.setattr(notification_tasks.create_notifications_for_events, "delay", lambda ids: None)
    return ids
