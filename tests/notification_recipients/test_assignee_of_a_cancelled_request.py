"""A request cancelled on day 30 for no client reply: the staff member who holds it (the one who asked)
is told by e-mail, with a link to the task page; switched with their task e-mails."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.requests_app.models import PortalRequest
from backend.requests_app.timers import sweep_due_timers
from notifications import services
from tests.notification_recipients.conftest import subjects_of

pytestmark = pytest.mark.django_db


def cancelled_for_no_reply(flow, client_user, capture) -> int:
    """Submit, staff ask (and so hold the task), then 30 days without a reply."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request_id = flow.submit(contact_email=client_user.email)
        flow.ask(request_id)
        mail.outbox.clear()
        traveller.shift(timedelta(days=14, seconds=1))
        with capture(execute=True):
            assert sweep_due_timers() == 1  # the day-14 reminder
        traveller.shift(timedelta(days=16))
        with capture(execute=True):
            assert sweep_due_timers() == 1  # the day-30 cancel
    assert PortalRequest.objects.get(pk=request_id).status == "cancelled"
    return request_id


def test_the_assignee_is_mailed_when_the_timer_cancels_the_request(
    flow, client_user, bok_staff, django_capture_on_commit_callbacks
):
    request_id = cancelled_for_no_reply(flow, client_user, django_capture_on_commit_callbacks)

    assert PortalRequest.objects.get(pk=request_id).assignee == bok_staff
    subjects = subjects_of(bok_staff.email)
    assert len(subjects) == 1 and subjects[0].endswith("został anulowany"), subjects
    message = next(message for message in mail.outbox if bok_staff.email in message.to)
    assert f"/staff/tasks/{request_id}/" in message.body
    assert "Nie ma w nim już nic do rozstrzygnięcia" in message.body


def test_an_assignee_who_switched_task_mails_off_gets_none(
    flow, client_user, bok_staff, django_capture_on_commit_callbacks
):
    services.set_notification_preferences(user=bok_staff, email_task_assigned=False)

    cancelled_for_no_reply(flow, client_user, django_capture_on_commit_callbacks)

    assert subjects_of(bok_staff.email) == []
