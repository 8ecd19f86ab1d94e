"""The 07:00 staff digest: each task with its due time and an overdue marker, a complaint with its statutory
answer deadline, overdue tasks first."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from backend.requests_app.models import ComplaintClock, PortalRequest
from notifications import services, tasks
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
MORNING = datetime(2026, 12, 10, 7, 0, tzinfo=WARSAW)


def test_the_digest_dates_each_task_and_lists_the_overdue_ones_first(
    flow, api_as, client_user, bok_staff, committed
):
    with time_machine.travel(MORNING - timedelta(days=35), tick=False) as traveller:
        services.set_notification_preferences(user=bok_staff, daily_digest=True)
        # a payment-day request due tomorrow and a complaint received 35 days ago, both with bok
        on_time = flow.submit(contact_email=client_user.email)
        complaint = committed(
            lambda: api_as(client_user).post(
                "/api/requests/",
                submission("complaint", data={"subject": "Błędna faktura", "message": "Opłata spoza umowy."}),
                format="json",
            )
        )["id"]
        PortalRequest.objects.filter(pk__in=[on_time, complaint]).update(
            assignee=bok_staff, status="in_review"
        )
        PortalRequest.objects.filter(pk=on_time).update(staff_due_at=MORNING + timedelta(days=1, hours=3))
        PortalRequest.objects.filter(pk=complaint).update(staff_due_at=MORNING + timedelta(days=2))
        deadline = ComplaintClock.objects.get(request_id=complaint).deadline
        assert deadline < MORNING.date()  # the statutory 30 days are over
        numbers = dict(PortalRequest.objects.values_list("pk", "number"))
        mail.outbox.clear()

        traveller.move_to(MORNING)
        assert tasks.send_staff_digests.delay().get() == 1

    body = mail.outbox[0].body
    lines = [line for line in body.splitlines() if line.startswith("- ") and "/staff/tasks/" in line]
    assert len(lines) == 2
    # the complaint past its statutory deadline first, marked; then the other with its due time
    assert lines[0].startswith(f"- [PO TERMINIE] {numbers[complaint]} ")
    assert f"reklamacja: ustawowy termin odpowiedzi {deadline:%d.%m.%Y}" in lines[0]
    assert f"termin {date(2026, 12, 12):%d.%m.%Y}" in lines[0]
    assert lines[1].startswith(f"- {numbers[on_time]} ")
    assert "termin 11.12.2026 10:00" in lines[1] and "PO TERMINIE" not in lines[1]
