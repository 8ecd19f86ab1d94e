"""Account e-mails an action sends (the second-factor reset notice, the activation link) are outbox events
of the action's own transaction: with the worker frozen (its broker message lost) they still exist, are
counted and re-driven by beat's relay; the worker only delivers them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from backend.accounts import tasks as account_tasks
from backend.accounts.second_factor import regenerate_recovery_codes
from backend.core.models import OutboxEvent
from notifications import tasks as notification_tasks
from tests.factories import MembershipFactory, UserFactory
from tests.second_factor_helpers import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_worker(monkeypatch):
    """Nothing queued after commit reaches a worker (a broker message lost, a worker stopped)."""
    for task in (
        account_tasks.send_second_factor_reset_email,
        account_tasks.send_activation_email,
        notification_tasks.create_notifications_for_events,
    ):
        monkeypatch.setattr(task, "delay", lambda *args, **kwargs: None)


def _account_emails(user) -> list[str]:
    return [
        event.payload["email"]
        for event in OutboxEvent.objects.filter(
            kind=OutboxEvent.Kind.ACCOUNT_EMAIL, subject_id=user.pk, subject_type="accounts.user"
        )
    ]


def test_a_second_factor_reset_notice_is_recorded_with_the_reset_and_relayed_later(
    client, bok_staff, acme, frozen_worker, django_capture_on_commit_callbacks, monkeypatch
):
    user = UserFactory(email="admin@acme.pl")
    MembershipFactory(user=user, client=acme, is_admin=True)
    enrol(user)
    regenerate_recovery_codes(user)
    client.force_login(bok_staff)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("staff-second-factor-reset", args=[user.pk]),
            {"reason": "Zgubiony telefon, tożsamość sprawdzona", "identity_checked": "on"},
        )

    assert done.status_code == 302
    assert _account_emails(user) == ["second_factor_reset"]
    # the worker back: beat's relay makes the delivery and sends it (the event waited for it)
    monkeypatch.undo()
    OutboxEvent.objects.update(created_at=OutboxEvent.objects.first().created_at.replace(year=2000))
    notification_tasks.relay_outbox.delay()
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_an_activation_link_is_recorded_with_its_code(
    client, bok_staff, acme, frozen_worker, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(email="nowy@acme.pl")
    newcomer.set_unusable_password()
    newcomer.save()
    MembershipFactory(user=newcomer, client=acme)
    client.force_login(bok_staff)

    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post(f"/staff/client-users/{newcomer.pk}/activation/")

    assert issued.status_code == 200
    assert _account_emails(newcomer) == ["activation"]
