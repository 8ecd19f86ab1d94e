"""The complaint's escalation reaches the supervisors through the outbox and notifications: one e-mail per
supervisor, exactly once, to the group "Przełożeni" (the administrators while the group is empty), never
to the client."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from backend.accounts.models import User
from backend.accounts.supervisors import SUPERVISOR_GROUP, supervisors
from backend.core.models import OutboxEvent
from backend.requests_app.timers import sweep_due_timers
from notifications.models import Delivery, Notice
from notifications.services import create_notifications, send_delivery
from tests.complaint_helpers import RECEIVED, at_day, submit_complaint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(email="admin-kierownik@leasing.example", role=User.Role.ADMIN, is_staff=True)


@pytest.fixture
def group_supervisor(db) -> User:
    user = UserFactory(email="przelozony@leasing.example", role=User.Role.STAFF, language="en")
    user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    return user


def test_the_group_is_made_by_the_migration_and_empty_falls_back_to_admins(admin_user):
    assert Group.objects.filter(name=SUPERVISOR_GROUP).exists()
    assert supervisors() == [admin_user]
    # a client user put in the group by mistake is no supervisor, nor is an inactive member
    group = Group.objects.get(name=SUPERVISOR_GROUP)
    UserFactory(email="klient-w-grupie@demo.pl", role=User.Role.CLIENT).groups.add(group)
    UserFactory(email="byly@leasing.example", role=User.Role.STAFF, is_active=False).groups.add(group)
    assert supervisors() == [admin_user]


def test_escalation_is_an_outbox_event_mailed_once_to_the_group(
    api_as, client_user, admin_user, group_supervisor, django_capture_on_commit_callbacks
):
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            submitted = submit_complaint(api_as(client_user))
        mail.outbox.clear()

        # when day 29 begins the escalation is written to the outbox in the timer's step
        traveller.move_to(at_day(29))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        event = OutboxEvent.objects.get(kind=OutboxEvent.Kind.COMPLAINT_ESCALATED)
        assert event.client_id is None  # back office only: no client notice, no push to the client
        assert event.payload["request_id"] == submitted["id"]

        # then notifications mail the group's member (not the fallback admin), in their language
        assert [m.to for m in mail.outbox] == [[group_supervisor.email]]
        message = mail.outbox[0]
        assert message.subject == f"Complaint {submitted['number']}: the answer is due 2026-12-24"
        assert reverse("staff-task-page", args=[submitted["id"]]) in message.body
        assert not Notice.objects.filter(event=event).exists()
        assert OutboxEvent.objects.get(pk=event.pk).notified_at is not None

        # a redelivered task makes no second delivery and sends nothing again
        for delivery_id in create_notifications(event_id=event.pk):
            send_delivery(delivery_id=delivery_id)
        assert Delivery.objects.filter(event=event).count() == 1
        assert len(mail.outbox) == 1

        # when the deadline day has ended, the supervisors hear that it passed
        traveller.move_to(at_day(31))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        assert [m.subject for m in mail.outbox[1:]] == [
            f"Complaint {submitted['number']}: the statutory deadline has passed"
        ]


def test_without_group_members_the_administrators_get_it_in_polish(
    api_as, client_user, admin_user, django_capture_on_commit_callbacks
):
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            submitted = submit_complaint(api_as(client_user))
        traveller.move_to(at_day(29))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        assert [m.to for m in mail.outbox] == [[admin_user.email]]
        assert mail.outbox[0].subject == f"Reklamacja {submitted['number']}: termin odpowiedzi 24.12.2026"
