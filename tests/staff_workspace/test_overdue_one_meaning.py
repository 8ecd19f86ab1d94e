"""One meaning of "overdue" in the back office: past the request's staff due time (17:00 Polish time of
its due day). The dashboard's count, the list its tile links to, the task list's red due times and the
overdue e-mail sweep agree at 16:59 and at 17:01 of the due day."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from backend.requests_app import selectors_dashboard as figures
from backend.requests_app.overdue import escalate_overdue_requests
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW)  # due Monday 7.12.2026, 17:00
BEFORE = datetime(2026, 12, 7, 16, 59, tzinfo=WARSAW)
AFTER = datetime(2026, 12, 7, 17, 1, tzinfo=WARSAW)


def _submit_other(api) -> int:
    body = submission("other_request", data={"subject": "Polisa", "message": "Proszę o kopię polisy."})
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _dashboard_tile(html: str) -> tuple[int, str]:
    match = re.search(r'href="([^"]+)" data-testid="fig-overdue"><span class="stat-value">(\d+)<', html)
    assert match, "the dashboard has no overdue tile"
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def _rows(html: str) -> int:
    return len(re.findall(r'<th scope="row" data-label=', html))


def _red_due_times(html: str) -> int:
    return len(re.findall(r'<time [^>]*class="overdue"', html))


def _what_the_back_office_says(client, staff) -> dict:
    """The dashboard's figure and page tile, the rows its tile links to, and the task list's red dates."""
    home = client.get(reverse("staff-home")).content.decode()
    count, href = _dashboard_tile(home)
    linked = client.get(href).content.decode()
    task_list = client.get(reverse("staff-task-list")).content.decode()
    return {
        "figure": figures.staff_work(user=staff).overdue,
        "tile": count,
        "linked_rows": _rows(linked),
        "red_in_linked_list": _red_due_times(linked),
        "red_in_task_list": _red_due_times(task_list),
    }


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [(BEFORE, 0), (AFTER, 1)],
    ids=["16:59 on the due day", "17:01 on the due day"],
)
def test_dashboard_task_list_and_its_link_agree_around_17_00_of_the_due_day(
    client, api_as, client_user, bok_staff, settings, moment, overdue
):
    # given a request that reached staff on Monday 10:00, due in 5 working days: Monday 7.12, 17:00
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as traveller:
        _submit_other(api_as(client_user))
        # when the back office looks on the due day, a minute before or after 17:00
        traveller.move_to(moment)
        client.force_login(bok_staff)
        said = _what_the_back_office_says(client, bok_staff)
    # then every place says the same
    assert said == {
        "figure": overdue,
        "tile": overdue,
        "linked_rows": overdue,
        "red_in_linked_list": overdue,
        "red_in_task_list": overdue,
    }


def test_the_overdue_e_mail_is_written_for_what_the_dashboard_counts(
    api_as, client_user, settings, django_capture_on_commit_callbacks
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as traveller:
        _submit_other(api_as(client_user))
        for moment, overdue in ((BEFORE, 0), (AFTER, 1)):
            traveller.move_to(moment)
            with django_capture_on_commit_callbacks(execute=True):
                told = escalate_overdue_requests(now=moment)
            assert told == overdue == figures.staff_work(user=client_user).overdue


def test_the_overdue_filter_keeps_what_is_past_its_due_time_and_says_so(
    client, api_as, client_user, bok_staff, settings
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as traveller:
        _submit_other(api_as(client_user))
        traveller.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=WARSAW))
        _submit_other(api_as(client_user))  # due Tuesday 8.12, 17:00
        traveller.move_to(AFTER)
        client.force_login(bok_staff)
        everything = client.get(reverse("staff-task-list")).content.decode()
        only_overdue = client.get(reverse("staff-task-list") + "?overdue=1").content.decode()
    assert (_rows(everything), _red_due_times(everything)) == (2, 1)
    assert (_rows(only_overdue), _red_due_times(only_overdue)) == (1, 1)
    assert 'data-testid="overdue-filter"' in only_overdue
    assert 'name="overdue" value="1"' in only_overdue  # kept when other filters are applied


def test_the_staff_api_flags_and_filters_what_the_page_marks_overdue(
    api_as, client_user, bok_staff, settings
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as traveller:
        first = _submit_other(api_as(client_user))
        traveller.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=WARSAW))
        second = _submit_other(api_as(client_user))  # due Tuesday 8.12, 17:00
        traveller.move_to(AFTER)
        staff_api = api_as(bok_staff)
        every = staff_api.get("/api/staff/tasks/").json()["results"]
        only = staff_api.get("/api/staff/tasks/?overdue=true").json()["results"]
        refused = staff_api.get("/api/staff/tasks/?overdue=perhaps")
    assert {row["id"]: row["is_overdue"] for row in every} == {first: True, second: False}
    assert [row["id"] for row in only] == [first]
    assert refused.status_code == 400 and "overdue" in refused.json()["fields"]


def test_the_task_list_and_the_task_say_today_by_17_00_on_the_due_day(
    client, api_as, client_user, bok_staff, settings
):
    settings.REQUEST_STAFF_SLA_WORKING_DAYS = 5
    with time_machine.travel(MONDAY, tick=False) as traveller:
        request_id = _submit_other(api_as(client_user))
        # the day before, the date; on the day, the hour that is left (a new login: sessions expire)
        traveller.move_to(datetime(2026, 12, 4, 10, 0, tzinfo=WARSAW))
        client.force_login(bok_staff)
        before = client.get(reverse("staff-task-list")).content.decode()
        traveller.move_to(datetime(2026, 12, 7, 9, 0, tzinfo=WARSAW))
        client.force_login(bok_staff)
        listed = client.get(reverse("staff-task-list")).content.decode()
        page = client.get(reverse("staff-task-page", args=[request_id])).content.decode()
    assert "07.12.2026</time>" in before
    assert "dziś do 17:00</time>" in listed
    assert '<dd id="staff-due">dziś do 17:00</dd>' in page
