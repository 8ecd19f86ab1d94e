"""The role dashboards at /staff/: figures against the database for a seeded set, bounded queries, landing."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.accounts.models import User
from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageThread
from backend.messaging.staff_writes import reply_as_staff
from backend.requests_app import selectors_dashboard as figures
from backend.requests_app.models import PortalRequest, RequestStatus
from tests.factories import ContractFactory, UserFactory
from tests.requests_app.helpers import contract_free_for, submission

pytestmark = pytest.mark.django_db

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}
OTHER = {"subject": "Polisa", "message": "Pytanie o polisę"}


def _submit(api, contract, kind="payment_date_change", data=None) -> int:
    contract = contract_free_for(kind, contract)  # one open request of a contract-changing kind per contract
    response = api.post(
        "/api/requests/", submission(kind, contract=contract, data=data or PAYMENT), format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def seeded(api_as, client_user, bok_staff, second_staff, acme, acme_contract):
    """Six requests and two threads whose figures are known by construction."""
    client_api, staff_api, second_api = api_as(client_user), api_as(bok_staff), api_as(second_staff)
    mine, theirs, waiting, overdue = (_submit(client_api, acme_contract) for _ in range(4))
    approved = _submit(client_api, acme_contract, "other_request", OTHER)
    rejected = _submit(client_api, acme_contract, "other_request", OTHER)
    assert staff_api.post(f"/api/staff/requests/{mine}/claim/").status_code == 200
    assert second_api.post(f"/api/staff/requests/{theirs}/claim/").status_code == 200
    for request_id in (waiting, approved, rejected):
        assert second_api.post(f"/api/staff/requests/{request_id}/claim/").status_code == 200
    asked = second_api.post(
        f"/api/staff/requests/{waiting}/ask-client/", {"question": "Skan?"}, format="json"
    )
    assert asked.status_code == 200, asked.json()
    approval = second_api.post(f"/api/staff/requests/{approved}/approve/", {"answer": "Zgoda"}, format="json")
    assert approval.status_code == 200, approval.json()
    rejection = second_api.post(
        f"/api/staff/requests/{rejected}/reject/", {"reason": "Brak podstaw"}, format="json"
    )
    assert rejection.status_code == 200, rejection.json()
    today = timezone.localdate()
    # Due at the very end of today: due today and, until then, not overdue (overdue is past the moment).
    PortalRequest.objects.filter(pk=mine).update(
        staff_due_at=timezone.make_aware(datetime.combine(today, time.max))
    )
    PortalRequest.objects.filter(pk=overdue).update(staff_due_at=_at(today - timedelta(days=2), 12))
    PortalRequest.objects.filter(pk=theirs).update(staff_due_at=_at(today + timedelta(days=3), 12))
    unanswered = start_thread(
        user=client_user, client=acme, subject="A", category="other", body="x", contract=acme_contract
    )
    answered = start_thread(
        user=client_user, client=acme, subject="B", category="other", body="x", contract=acme_contract
    )
    reply_as_staff(user=bok_staff, thread=answered, body="Odpowiedź")
    return {
        "mine": mine,
        "theirs": theirs,
        "waiting": waiting,
        "overdue": overdue,
        "approved": approved,
        "rejected": rejected,
        "unanswered": unanswered,
        "answered": answered,
    }


def test_staff_figures_match_the_seeded_set_and_the_database(seeded, bok_staff):
    work = figures.staff_work(user=bok_staff)
    tasks = PortalRequest.objects.filter(
        status=RequestStatus.IN_REVIEW, process_instance__waiting_for="staff"
    )
    # by construction
    assert (work.tasks_total, work.my_tasks, work.unassigned_tasks) == (3, 1, 1)
    assert (work.due_by_today, work.overdue) == (2, 1)
    assert (work.unanswered_messages, work.awaiting_final_answer, work.my_threads) == (1, 1, 1)
    assert work.waiting_for_client.count == 1
    assert [r.id for r in work.waiting_for_client.longest] == [seeded["waiting"]]
    assert work.waiting_for_client.oldest_since is not None
    # and against the database, the way the linked lists read it
    assert work.tasks_total == tasks.count()
    assert work.my_tasks == tasks.filter(assignee=bok_staff).count()
    assert work.unassigned_tasks == tasks.filter(assignee__isnull=True).count()
    assert work.unanswered_messages == MessageThread.objects.filter(status="open").count()
    assert work.waiting_for_staff.count == tasks.count()
    assert [r.id for r in work.waiting_for_staff.longest][0] == seeded["mine"]  # submitted first


def test_the_linked_lists_show_as_many_rows_as_the_figures(client, seeded, bok_staff):
    client.force_login(bok_staff)
    html = client.get(reverse("staff-home")).content.decode()

    def figure(testid: str) -> tuple[int, str]:
        match = re.search(rf'href="([^"]+)" data-testid="{testid}"><span class="stat-value">(\d+)<', html)
        assert match, testid
        return int(match.group(2)), match.group(1).replace("&amp;", "&")

    for testid, row_marker in [
        ("fig-my-tasks", 'data-label="Request"'),  # the task list's rows
        ("fig-unassigned-tasks", 'data-label="Request"'),
        ("fig-due-today", 'data-label="Request"'),
        ("fig-overdue", 'data-label="Request"'),
        ("fig-unanswered", "<tr data-thread-id="),
        ("fig-awaiting-final", "<tr data-thread-id="),
        ("fig-my-threads", "<tr data-thread-id="),
    ]:
        count, href = figure(testid)
        listed = client.get(href).content.decode()
        rows = (
            listed.count(row_marker)
            if "thread" in row_marker
            else len(re.findall(r'<th scope="row" data-label=', listed))
        )
        assert rows == count, (testid, href, rows, count)


def test_counts_per_type_and_stage(seeded):
    table = figures.open_requests_by_kind_and_stage()
    stages = {code: i for i, (code, _label) in enumerate(table.stages)}
    payment = next(row for row in table.rows if row.kind == "payment_date_change")
    other = next(row for row in table.rows if row.kind == "other_request")
    assert payment.cells[stages["staff_review"]] == 3
    assert payment.cells[stages["client_reply"]] == 1
    assert payment.total == 4 and other.total == 0
    assert table.total == PortalRequest.objects.filter(status__in=figures.OPEN_STATUSES).count()


def test_week_and_median_figures(seeded):
    mondays, opened, decided = figures.opened_vs_decided_per_week()
    assert len(mondays) == figures.WEEKS_SHOWN and mondays[-1].weekday() == 0
    assert opened[-1] == 6 and sum(opened[:-1]) == 0
    assert decided[-1] == 2
    medians = {kind: (median, count) for kind, _label, median, count in figures.median_days_to_decision()}
    assert medians["other_request"][1] == 2
    assert medians["other_request"][0] is not None and medians["other_request"][0] < 1
    assert medians["payment_date_change"] == (None, 0)


def test_an_old_request_falls_in_its_own_week(seeded):
    old = PortalRequest.objects.get(pk=seeded["approved"])
    three_weeks_ago = timezone.now() - timedelta(weeks=3)
    PortalRequest.objects.filter(pk=old.pk).update(created_at=three_weeks_ago, decided_at=three_weeks_ago)
    _mondays, opened, decided = figures.opened_vs_decided_per_week()
    assert opened[-4] == 1 and opened[-1] == 5
    assert decided[-4] == 1 and decided[-1] == 1


def test_workload_per_person_against_the_database(seeded, bok_staff, second_staff):
    series = figures.workload_per_person()
    people = dict(zip(series.labels, zip(*(d["values"] for d in series.datasets), strict=True), strict=True))
    for user in (bok_staff, second_staff):
        requests = PortalRequest.objects.filter(status__in=figures.OPEN_STATUSES, assignee=user).count()
        threads = MessageThread.objects.exclude(status="closed").filter(assignee=user).count()
        assert people[user.get_full_name()] == (requests, threads)
    assert people["Barbara Obsługa"] == (1, 1)


def test_the_staff_dashboard_query_count_is_bounded(
    client, seeded, bok_staff, client_user, acme, django_assert_max_num_queries
):
    client.force_login(bok_staff)
    # 26: one is the live cursor every page is rendered at (notifications/live_cursor.py).
    with django_assert_max_num_queries(26) as first:
        assert client.get(reverse("staff-home")).status_code == 200
    for number in range(15):  # more of everything: the count must not move
        start_thread(
            user=client_user,
            client=acme,
            subject=f"W{number}",
            category="other",
            body="x",
            contract=ContractFactory(client=acme),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("staff-home")).status_code == 200


@pytest.mark.parametrize("role", ["staff", "analyst", "admin"])
def test_each_role_lands_on_its_dashboard(client, role, seeded, django_assert_max_num_queries):
    user = UserFactory(role=role, is_staff=role == "admin")
    client.force_login(user)
    # 28: the admin's operations run /readyz's checks too, its database check a SELECT 1; the decision
    # documents waiting too long (requests_app/stuck_documents.py); and the live cursor every page is
    # rendered at (notifications/live_cursor.py).
    with django_assert_max_num_queries(28):
        response = client.get(reverse("staff-home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert ('data-testid="staff-figures"' in html) == (role == "staff")
    assert ('data-testid="operations"' in html) == (role == "admin")
    assert (reverse("flow-list") in html) == (role in ("analyst", "admin"))
    assert 'data-testid="kind-stage"' in html


def test_login_lands_every_back_office_role_on_the_dashboard(client, password):
    for role in (User.Role.STAFF, User.Role.ANALYST, User.Role.ADMIN):
        user = UserFactory(role=role)
        response = client.post(reverse("login"), {"username": user.email, "password": password})
        assert response["Location"] == reverse("staff-home")
        client.logout()


def _chart_data(html: str) -> list[dict]:
    """The numbers the page hands dashboard.js (its json_script)."""
    found = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_charts_get_their_numbers_through_json_script_and_a_table(client, seeded, bok_staff):
    client.force_login(bok_staff)
    html = client.get(reverse("staff-home")).content.decode()
    data = _chart_data(html)
    charts = {chart["id"]: chart for chart in data}
    assert set(charts) == {"chart-stage", "chart-person", "chart-weeks", "chart-median"}
    assert charts["chart-weeks"]["datasets"][0]["values"][-1] == 6
    for chart_id in charts:
        assert f'<canvas id="{chart_id}"' in html
        assert f'data-testid="{chart_id}-table"' in html
    assert "chart.umd.min.js" in html and "dashboard.js" in html


def test_clients_get_403_on_the_dashboard(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("staff-home")).status_code == 403


def test_every_type_and_stage_number_and_the_clients_ball_link_to_a_list_of_as_many(
    client, seeded, bok_staff
):
    # given
    client.force_login(bok_staff)
    html = client.get(reverse("staff-home")).content.decode()
    table = html[html.index('data-testid="kind-stage"') :]
    table = table[: table.index("</table>")]
    links = re.findall(r'<td class="num" data-label="[^"]+"><a href="([^"]+)">(\d+)</a></td>', table)
    ball = re.search(r'<a href="([^"]+)" data-testid="ball-client-count">(\d+)</a>', html)

    # when / then: each linked list shows exactly the number that links to it
    assert links, "the cells of open requests link to their lists"
    assert {"staff_review", "client_reply"} <= {href.rsplit("stage=", 1)[1] for href, _n in links}
    for href, number in [*links, ball.groups()]:
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        assert len(re.findall(r'<th scope="row" data-label=', listed)) == int(number), href


def test_a_chart_with_nothing_to_draw_says_so_and_keeps_its_table(client, bok_staff):
    # given no request at all: nothing open, nobody holds work, nothing decided in the window
    client.force_login(bok_staff)

    html = client.get(reverse("staff-home")).content.decode()

    for chart_id, sentence in (
        ("chart-stage", "Żaden wniosek nie jest otwarty."),
        ("chart-person", "Nikt nie ma otwartego wniosku ani wątku wiadomości."),
        ("chart-median", "W ostatnich 90 dniach nie rozstrzygnięto żadnego wniosku."),
    ):
        assert f'data-testid="{chart_id}-empty">{sentence}</p>' in html
        assert f'<canvas id="{chart_id}"' not in html
        assert f'data-testid="{chart_id}-table"' in html
    # the weeks are a picture even when every week is zero
    assert '<canvas id="chart-weeks"' in html


def test_the_median_chart_lays_its_request_types_along_the_side(client, seeded, bok_staff):
    # The type names were slanted under the bars and the longest was cut off at the card's edge.
    client.force_login(bok_staff)
    html = client.get(reverse("staff-home")).content.decode()
    data = _chart_data(html)
    median = next(chart for chart in data if chart["id"] == "chart-median")

    assert median["horizontal"] is True
    assert '<canvas id="chart-median"' in html and 'data-testid="chart-median-empty"' not in html
