"""Staff's due time counts working days (Monday–Friday without Polish public holidays) and ends at 17:00
Polish time; a complaint's statutory deadline, in calendar days, still wins when it comes first."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.complaints.test_clock import at_day, submit_complaint
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def staff_due(api, request_id: int) -> datetime:
    response = api.get(f"/api/staff/requests/{request_id}/")
    assert response.status_code == 200, response.json()
    return datetime.fromisoformat(response.json()["staff_due_at"])


def submit_other(api) -> int:
    body = submission("other_request", data={"subject": "Polisa", "message": "Proszę o kopię polisy."})
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.mark.parametrize(
    "submitted_at, due",
    [
        # Monday 10:00 → the next Monday, 17:00 (five working days; the day of submission does not count)
        (datetime(2026, 11, 30, 10, 0), datetime(2026, 12, 7, 17, 0)),
        # Friday afternoon before Independence Day (Wednesday 11.11): Monday 16.11, 17:00
        (datetime(2026, 11, 6, 15, 30), datetime(2026, 11, 16, 17, 0)),
        # the day before Christmas Eve: 24–26.12 and 1.01 are holidays, due Monday 4.01.2027, 17:00
        (datetime(2026, 12, 23, 14, 0), datetime(2027, 1, 4, 17, 0)),
    ],
)
def test_staff_are_due_by_the_end_of_the_fifth_working_day(
    api_as, client_user, bok_staff, settings, submitted_at, due
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(submitted_at.replace(tzinfo=WARSAW), tick=False):
        request_id = submit_other(api_as(client_user))

        assert staff_due(api_as(bok_staff), request_id) == due.replace(tzinfo=WARSAW)
        # and the task list shows and sorts by the same stored time
        listed = api_as(bok_staff).get("/api/staff/tasks/")
        row = next(r for r in listed.json()["results"] if r["id"] == request_id)
        assert datetime.fromisoformat(row["staff_due_at"]) == due.replace(tzinfo=WARSAW)


def test_the_setting_counts_working_days(api_as, client_user, bok_staff, settings):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 2
    with time_machine.travel(datetime(2026, 11, 6, 15, 30, tzinfo=WARSAW), tick=False):
        request_id = submit_other(api_as(client_user))
        # Friday + 2 working days: Monday 9.11, Tuesday 10.11
        assert staff_due(api_as(bok_staff), request_id) == datetime(2026, 11, 10, 17, 0, tzinfo=WARSAW)


def test_a_complaint_is_due_in_working_days_while_its_deadline_is_far(api_as, client_user, bok_staff):
    with time_machine.travel(at_day(0, hour=10), tick=False):  # Tuesday 24.11.2026, deadline 24.12.2026
        submitted = submit_complaint(api_as(client_user))
        assert staff_due(api_as(bok_staff), submitted["id"]) == datetime(2026, 12, 1, 17, 0, tzinfo=WARSAW)


def test_a_complaints_deadline_still_wins_when_it_comes_first(api_as, client_user, bok_staff):
    with time_machine.travel(at_day(0, hour=10), tick=False) as traveller:
        submitted = submit_complaint(api_as(client_user))
        asked = api_as(bok_staff).post(
            f"/api/staff/requests/{submitted['id']}/ask-client/", {"question": "Skan faktury?"}, format="json"
        )
        assert asked.status_code == 200, asked.json()

        # when the client replies on Tuesday 22.12 (five working days on would be Thursday 31.12)
        traveller.move_to(datetime(2026, 12, 22, 10, 0, tzinfo=WARSAW))
        reply = api_as(client_user).post(
            f"/api/requests/{submitted['id']}/reply/", {"message": "W załączeniu."}
        )
        assert reply.status_code == 200, reply.json()

        # then staff are due by the end of the statutory deadline day, 24.12.2026, a holiday or not
        due = staff_due(api_as(bok_staff), submitted["id"]).astimezone(WARSAW)
        assert (due.date().isoformat(), due.hour, due.minute) == ("2026-12-24", 23, 59)
