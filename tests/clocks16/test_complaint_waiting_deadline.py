"""A complaint that waits for the client's reply still meets its statutory deadline: the wait ends days
before it (the client is told that day, never a cancellation), the complaint goes back to staff with a
history row saying no reply came, staff can answer it in time, and if they do not the deadline is recorded
and supervisors told as for any complaint; its staff due date never falls after the deadline."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from backend.accounts.models import User
from backend.requests_app.models import ComplaintClock, PortalRequest, RequestEvent
from backend.requests_app.timers import sweep_due_timers
from tests.complaints.test_clock import at_day, event_kinds, submit_complaint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(db) -> User:
    return UserFactory(email="kierownik@leasing.example", role=User.Role.ADMIN, is_staff=True)


def ask(api, request_id: int) -> None:
    asked = api.post(
        f"/api/staff/requests/{request_id}/ask-client/",
        {"question": "Prosimy o skan faktury."},
        format="json",
    )
    assert asked.status_code == 200, asked.json()


def test_an_unanswered_question_comes_back_to_staff_before_the_deadline_which_still_holds(
    api_as,
    client_user,
    bok_staff,
    supervisor,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        # given a complaint received on 24.11.2026: the answer is due by 24.12.2026
        with django_capture_on_commit_callbacks(execute=True):
            submitted = submit_complaint(api_as(client_user))
        request_id = submitted["id"]
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            ask(api_as(bok_staff), request_id)

        # the first "we are waiting for your reply" e-mail names the reply-by day, 6 days before the
        # deadline, and no cancellation
        (asked_mail,) = [m for m in mail.outbox if client_user.email in m.to]
        assert "Prosimy o odpowiedź do 18.12.2026" in asked_mail.body
        assert "anulowan" not in asked_mail.body

        # the day-14 reminder of a complaint promises no cancellation either
        traveller.move_to(at_day(14, hour=10, minute=5))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        reminder = next(m for m in mail.outbox if client_user.email in m.to)
        assert "anulowan" not in reminder.body
        assert "18.12.2026" in reminder.body

        # the client never replies; all through the reply-by day the wait still runs
        traveller.move_to(at_day(24, hour=23, minute=59))
        assert sweep_due_timers() == 0
        assert PortalRequest.objects.get(pk=request_id).status == "waiting_for_client"

        # when the reply-by day has ended
        traveller.move_to(at_day(25))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1

        # then the complaint is back with staff, 5 days before its deadline, due by the deadline at the latest
        portal_request = PortalRequest.objects.get(pk=request_id)
        assert portal_request.status == "in_review"
        assert timezone.localdate(portal_request.staff_due_at) == date(2026, 12, 24)
        # nothing passed: no missed deadline, no supervisor told
        clock = ComplaintClock.objects.get(request_id=request_id)
        assert clock.overdue_at is None
        assert RequestEvent.Kind.DEADLINE_PASSED not in event_kinds(request_id)
        assert not [m for m in mail.outbox if supervisor.email in m.to]
        # and the client's history says why, in the reader's language
        history = api_as(client_user).get(f"/api/requests/{request_id}/").json()["history"]
        (no_reply,) = [e for e in history if e["kind"] == RequestEvent.Kind.NO_REPLY]
        assert no_reply["message"] == (
            "Nie otrzymaliśmy odpowiedzi do 18.12.2026: odpowiemy na reklamację na podstawie posiadanych "
            "informacji, do 24.12.2026."
        )

        # when staff leave it, the statutory clock runs on as for any complaint: day 29 escalates,
        # the end of day 30 records the missed deadline and tells the supervisors
        traveller.move_to(at_day(29))
        assert sweep_due_timers() == 1
        assert RequestEvent.Kind.ESCALATED in event_kinds(request_id)
        traveller.move_to(at_day(31))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        assert ComplaintClock.objects.get(request_id=request_id).overdue_at == timezone.now()
        assert [m.to for m in mail.outbox if supervisor.email in m.to]

        # staff can still answer it
        approved = api_as(bok_staff).post(
            f"/api/staff/requests/{request_id}/approve/",
            {"answer": "Reklamacja uwzględniona: wystawimy korektę faktury."},
            format="json",
        )
        assert approved.status_code == 200, approved.json()
        assert approved.json()["status"] == "completed"
        assert event_kinds(request_id).count(RequestEvent.Kind.DEADLINE_PASSED) == 1


def test_a_complaints_staff_due_date_is_never_after_its_deadline(api_as, client_user, bok_staff):
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        submitted = submit_complaint(api_as(client_user))
        ask(api_as(bok_staff), submitted["id"])

        # when the client replies on the reply-by day, 18.12.2026 (the staff SLA alone would put the due
        # date on 29.12.2026, after the Christmas holidays)
        traveller.move_to(at_day(24, hour=9))
        reply = api_as(client_user).post(
            f"/api/requests/{submitted['id']}/reply/", {"message": "Skan w załączeniu."}
        )
        assert reply.status_code == 200, reply.json()

        # then the task list's due date is the statutory deadline, 24.12.2026
        due = api_as(bok_staff).get(f"/api/staff/requests/{submitted['id']}/").json()["staff_due_at"]
        assert timezone.localdate(datetime.fromisoformat(due)) == date(2026, 12, 24)
        listed = api_as(bok_staff).get("/api/staff/tasks/", {"kind": "complaint"})
        assert listed.status_code == 200, listed.json()
        row = next(r for r in listed.json()["results"] if r["id"] == submitted["id"])
        assert timezone.localdate(datetime.fromisoformat(row["staff_due_at"])) == date(2026, 12, 24)
