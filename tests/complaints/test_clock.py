"""The statutory clock of a complaint, driven through the API and the real bpmn/complaint.bpmn with a
time machine: escalation on day 29, the deadline on day 30, an extension to at most 60 days."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail

from backend.accounts.models import User
from backend.requests_app.models import ComplaintClock, PortalRequest, RequestEvent
from backend.requests_app.timers import sweep_due_timers
from tests.complaint_helpers import RECEIVED, at_day, clock, event_kinds, submit_complaint
from tests.factories import UserFactory
from tests.request_helpers import ask_client
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(db) -> User:
    return UserFactory(email="kierownik@leasing.example", role=User.Role.ADMIN, is_staff=True)


def test_clock_escalates_on_day_29_and_records_the_deadline_after_day_30(
    api_as, client_user, bok_staff, supervisor, django_capture_on_commit_callbacks
):
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        # given a complaint received on 24.11.2026
        client_api = api_as(client_user)
        with django_capture_on_commit_callbacks(execute=True):
            submitted = submit_complaint(client_api)

        # then the client sees the 30-day statutory clock
        shown = clock(api_as(client_user), submitted["id"])
        assert shown["received_on"] == "2026-11-24"
        assert shown["deadline"] == "2026-12-24"
        assert shown["days_total"] == 30
        assert shown["text"] == "Odpowiedź do 24.12.2026 (30 dni od wpływu)"
        assert shown["escalated"] is False

        # when day 28 ends nothing has escalated yet
        traveller.move_to(at_day(28, hour=23, minute=59))
        assert sweep_due_timers() == 0
        assert RequestEvent.Kind.ESCALATED not in event_kinds(submitted["id"])

        # when day 29 begins the complaint escalates to the supervisor, once
        traveller.move_to(at_day(29))
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_due_timers() == 1
        assert sweep_due_timers() == 0
        assert event_kinds(submitted["id"]).count(RequestEvent.Kind.ESCALATED) == 1
        # (through the outbox: notifications mail each supervisor once)
        assert [m.to for m in mail.outbox if "24.12.2026" in m.subject] == [[supervisor.email]]
        staff_view = clock(api_as(bok_staff), submitted["id"], staff=True)
        assert staff_view["escalated"] is True
        assert staff_view["days_left"] == 1

        # the escalation is the back office's: the client's history does not show it
        client_api = api_as(client_user)
        history = client_api.get(f"/api/requests/{submitted['id']}/").json()["history"]
        assert RequestEvent.Kind.ESCALATED not in [e["kind"] for e in history]

        # when day 30 (the deadline) runs, the complaint is due today but not overdue
        traveller.move_to(at_day(30, hour=23, minute=59))
        assert sweep_due_timers() == 0
        on_deadline = clock(api_as(client_user), submitted["id"])
        assert on_deadline["days_left"] == 0
        assert on_deadline["overdue"] is False

        # when day 30 has ended the deadline is recorded as passed
        traveller.move_to(at_day(31))
        assert sweep_due_timers() == 1
        assert clock(api_as(bok_staff), submitted["id"], staff=True)["overdue"] is True
        assert RequestEvent.Kind.DEADLINE_PASSED in event_kinds(submitted["id"])
        assert PortalRequest.objects.get(pk=submitted["id"]).status == "in_review"


def test_extension_to_60_days_moves_the_escalation_and_tells_the_client_the_reason(
    api_as, client_user, bok_staff, supervisor
):
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        submitted = submit_complaint(api_as(client_user))
        staff_api = api_as(bok_staff)
        url = f"/api/staff/requests/{submitted['id']}/extend-deadline/"
        reason = "Potrzebujemy opinii ubezpieczyciela, o którą wystąpiliśmy 25.11.2026."

        # when staff extend beyond 60 days from receipt, it is refused in the error shape
        traveller.move_to(at_day(10, hour=9))
        staff_api = api_as(bok_staff)
        refused = staff_api.post(
            url, {"new_deadline": "2027-01-24", "extension_reason": reason}, format="json"
        )
        assert refused.status_code == 400
        assert refused.json()["code"] == "invalid"
        assert "23.01.2027" in refused.json()["fields"]["new_deadline"][0]
        # a date not later than the current deadline is refused too
        earlier = staff_api.post(
            url, {"new_deadline": "2026-12-20", "extension_reason": reason}, format="json"
        )
        assert earlier.status_code == 400
        assert "new_deadline" in earlier.json()["fields"]
        # and a reason is required
        no_reason = staff_api.post(url, {"new_deadline": "2027-01-23"}, format="json")
        assert no_reason.status_code == 400
        assert "extension_reason" in no_reason.json()["fields"]
        assert ComplaintClock.objects.get(request_id=submitted["id"]).deadline == date(2026, 12, 24)

        # when staff extend to exactly day 60 with a reason
        extended = staff_api.post(
            url, {"new_deadline": "2027-01-23", "extension_reason": reason}, format="json"
        )
        assert extended.status_code == 200, extended.json()

        # then the client sees the new date, the 60 days and the reason
        client_api = api_as(client_user)
        shown = clock(api_as(client_user), submitted["id"])
        assert shown["text"] == "Odpowiedź do 23.01.2027 (60 dni od wpływu)"
        assert shown["extended"] is True
        assert shown["extension_reason"] == reason
        history = client_api.get(f"/api/requests/{submitted['id']}/").json()["history"]
        assert reason in [e["message"] for e in history if e["kind"] == RequestEvent.Kind.DEADLINE_EXTENDED]
        # the review is back with staff
        assert PortalRequest.objects.get(pk=submitted["id"]).status == "in_review"

        # when the old day 29 comes nothing escalates: the timers moved with the deadline
        traveller.move_to(at_day(29, hour=12))
        assert sweep_due_timers() == 0
        traveller.move_to(at_day(31, hour=12))
        assert sweep_due_timers() == 0

        # then the escalation comes one day before the new deadline (day 59)
        traveller.move_to(at_day(58, hour=23, minute=59))
        assert sweep_due_timers() == 0
        traveller.move_to(at_day(59))
        assert sweep_due_timers() == 1
        assert event_kinds(submitted["id"]).count(RequestEvent.Kind.ESCALATED) == 1

        # and a second extension beyond 60 days is refused
        again = api_as(bok_staff).post(
            url, {"new_deadline": "2027-01-24", "extension_reason": reason}, format="json"
        )
        assert again.status_code == 400


def test_the_clock_runs_while_the_client_holds_the_ball_and_the_answer_closes_it(
    api_as, client_user, bok_staff, supervisor
):
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        submitted = submit_complaint(api_as(client_user))
        staff_api = api_as(bok_staff)
        asked = ask_client(staff_api, submitted["id"])
        assert asked.status_code == 200, asked.json()

        # day 14 reminds the client
        traveller.move_to(at_day(14, hour=10, minute=1))
        assert sweep_due_timers() == 1
        assert RequestEvent.Kind.REMINDER in event_kinds(submitted["id"])
        assert PortalRequest.objects.get(pk=submitted["id"]).status == "waiting_for_client"

        # when the client replies on day 20, the days the client took count: day 29 escalates
        traveller.move_to(at_day(20, hour=9))
        reply = api_as(client_user).post(
            f"/api/requests/{submitted['id']}/reply/", {"message": "Skan w załączeniu."}
        )
        assert reply.status_code == 200, reply.json()
        traveller.move_to(at_day(29))
        assert sweep_due_timers() == 1
        assert event_kinds(submitted["id"]).count(RequestEvent.Kind.ESCALATED) == 1
        assert RequestEvent.Kind.NO_REPLY not in event_kinds(submitted["id"])

        # when staff answer, the complaint is decided and the clock stops
        approved = api_as(bok_staff).post(
            f"/api/staff/requests/{submitted['id']}/approve/",
            {"answer": "Reklamacja uwzględniona: wystawimy korektę faktury."},
            format="json",
        )
        assert approved.status_code == 200, approved.json()
        assert approved.json()["status"] == "completed"
        portal_request = PortalRequest.objects.get(pk=submitted["id"])
        assert portal_request.process_instance.next_timer_due is None
        traveller.move_to(at_day(40))
        assert sweep_due_timers() == 0
        assert clock(api_as(client_user), submitted["id"])["overdue"] is False


def test_only_a_complaint_has_a_clock_and_only_a_complaint_is_extended(api_as, client_user, bok_staff):
    with time_machine.travel(RECEIVED, tick=False):
        body = submission("other_request", data={"subject": "Pytanie", "message": "Treść pytania"})
        plain = api_as(client_user).post("/api/requests/", body, format="json").json()
        assert clock(api_as(client_user), plain["id"]) is None
        refused = api_as(bok_staff).post(
            f"/api/staff/requests/{plain['id']}/extend-deadline/",
            {"new_deadline": "2026-12-30", "extension_reason": "Sprawa wymaga dodatkowych wyjaśnień."},
            format="json",
        )
        assert refused.status_code == 400
        assert refused.json()["code"] == "invalid"
        missing = api_as(bok_staff).post(
            "/api/staff/requests/999999/extend-deadline/",
            {"new_deadline": "2026-12-30", "extension_reason": "Sprawa wymaga dodatkowych wyjaśnień."},
            format="json",
        )
        assert missing.status_code == 404
        assert missing.json()["code"] == "not_found"


def test_the_staff_page_shows_an_extension_error_beside_its_field_and_keeps_the_input(
    api_as, client, client_user, bok_staff
):
    """The task page's "extend the deadline" form: each refusal beside its field, the date and the reason
    typed stay in the form (they used to vanish behind a banner after a redirect)."""
    with time_machine.travel(RECEIVED, tick=False):
        submitted = submit_complaint(api_as(client_user))
        client.force_login(bok_staff)
        url = f"/staff/complaints/{submitted['id']}/extend-deadline/"
        reason = "Czekamy na opinię ubezpieczyciela."

        too_far = client.post(url, {"new_deadline": "2027-01-24", "extension_reason": reason})
        assert too_far.status_code == 400
        page = too_far.content.decode()
        field = page[page.index('id="extend-new_deadline"') : page.index('id="extend-extension_reason"')]
        assert 'value="2027-01-24"' in field
        assert 'aria-invalid="true"' in field
        assert 'id="err-extend-new_deadline"' in field and "23.01.2027" in field
        assert f">{reason}</textarea>" in page

        # a date too far and no reason: both said at once
        both = client.post(url, {"new_deadline": "2027-01-24", "extension_reason": ""}).content.decode()
        assert 'id="err-extend-new_deadline"' in both and "23.01.2027" in both
        assert 'id="err-extend-extension_reason"' in both

        no_reason = client.post(url, {"new_deadline": "2027-01-10", "extension_reason": " "})
        page = no_reason.content.decode()
        assert no_reason.status_code == 400
        assert 'id="err-extend-extension_reason"' in page
        assert 'value="2027-01-10"' in page
        assert ComplaintClock.objects.get(request_id=submitted["id"]).deadline == date(2026, 12, 24)

        done = client.post(url, {"new_deadline": "2027-01-10", "extension_reason": reason})
        assert done.status_code == 302
        assert ComplaintClock.objects.get(request_id=submitted["id"]).deadline == date(2027, 1, 10)


def test_the_deadline_reads_in_the_pages_language(api_as, client, client_user, bok_staff):
    """English pages give the statutory deadline in the English date format, like every other date there."""
    with time_machine.travel(RECEIVED, tick=False):
        submitted = submit_complaint(api_as(client_user))
        client.force_login(bok_staff)
        client.post("/i18n/setlang/", {"language": "en"})
        page = client.get(f"/staff/tasks/{submitted['id']}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Answer by 2026-12-24" in page
        assert "24.12.2026" not in page
