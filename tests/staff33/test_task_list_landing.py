"""Claiming from a filtered task list (session 33's staff walk, ST2).

On "unclaimed" (assignee=none) a claimed task leaves the list: the list came back at `#task-<id>`, a row it
no longer had, so the keyboard and the message had no place and the task was gone from sight. The list now
says where the task went, with a link to it that carries the row's id (forms.js lands there).
"""

from __future__ import annotations

import re

import pytest

from tests.logged_in_clients import browsing_as
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def landed_box(html: str) -> str:
    found = re.search(r'<div class="alert info landed-elsewhere"[^>]*>(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


def test_claiming_from_the_unclaimed_list_says_where_the_task_went_with_a_link(bok_staff, client_user, acme):
    first = submit_other_request(client_user, acme, subject="Pierwszy")
    submit_other_request(client_user, acme, subject="Drugi")
    staff = browsing_as(bok_staff)
    listed = "/staff/tasks/?assignee=none"
    assert staff.get(listed).status_code == 200

    response = staff.post(
        f"/staff/tasks/{first.pk}/claim/", {"next": f"{listed}#task-{first.pk}"}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{listed}#task-{first.pk}"
    assert "Zadanie zostało przypisane do Ciebie." in html  # the message of what was done stays
    box = landed_box(html)
    assert f"{first.number} nie jest już na tej liście: nie pasuje teraz do filtrów." in box
    link = re.search(r'<a href="([^"]+)" id="task-(\d+)">([^<]+)</a>', box)
    assert link is not None
    assert link.groups() == (f"/staff/tasks/{first.pk}/", str(first.pk), f"Otwórz {first.number}")
    # the row's id is only in the box: the list itself no longer has the row
    assert html.count(f'id="task-{first.pk}"') == 1
    # said once: the list shown again (a reload, a live update) has no box
    assert landed_box(staff.get(listed).content.decode()) == ""


def test_claiming_a_row_the_list_still_shows_lands_on_the_row_without_a_box(bok_staff, client_user, acme):
    first = submit_other_request(client_user, acme)
    staff = browsing_as(bok_staff)

    response = staff.post(
        f"/staff/tasks/{first.pk}/claim/", {"next": f"/staff/tasks/#task-{first.pk}"}, follow=True
    )

    html = response.content.decode()
    assert landed_box(html) == ""
    assert html.count(f'id="task-{first.pk}"') == 1  # the row's own link


def test_a_claim_from_the_task_page_leaves_nothing_for_the_list(bok_staff, client_user, acme):
    first = submit_other_request(client_user, acme)
    staff = browsing_as(bok_staff)

    staff.post(f"/staff/tasks/{first.pk}/claim/", {"next": f"/staff/tasks/{first.pk}/"})

    # later, the "unclaimed" list: nothing said about a task claimed elsewhere
    assert landed_box(staff.get("/staff/tasks/?assignee=none").content.decode()) == ""


def test_releasing_from_the_list_of_ones_own_tasks_says_where_the_task_went(bok_staff, client_user, acme):
    first = submit_other_request(client_user, acme)
    staff = browsing_as(bok_staff)
    staff.post(f"/staff/tasks/{first.pk}/claim/", {"next": f"/staff/tasks/{first.pk}/"})
    mine = "/staff/tasks/?assignee=me"

    html = staff.post(
        f"/staff/tasks/{first.pk}/unclaim/", {"next": f"{mine}#task-{first.pk}"}, follow=True
    ).content.decode()

    assert f"{first.number} nie jest już na tej liście" in landed_box(html)
    assert "Żadne zadanie nie spełnia warunków filtra." in html


def test_a_claim_that_moves_the_row_to_another_page_says_so(bok_staff, client_user, acme, monkeypatch):
    from portal_ui import client_lists, staff_views

    # two rows a page: sorted by assignee, the unclaimed come last and a claimed one moves before them
    monkeypatch.setattr(
        staff_views, "paginate", lambda request, rows: client_lists.paginate(request, rows, per_page=2)
    )
    requests = [submit_other_request(client_user, acme, subject=f"Sprawa {n}") for n in range(3)]
    staff = browsing_as(bok_staff)
    listed = "/staff/tasks/?sort=assignee&page=2"
    shown = re.findall(r'id="task-(\d+)"', staff.get(listed).content.decode())
    assert len(shown) == 1
    claimed = next(r for r in requests if str(r.pk) == shown[0])

    html = staff.post(
        f"/staff/tasks/{claimed.pk}/claim/", {"next": f"{listed}#task-{claimed.pk}"}, follow=True
    ).content.decode()

    assert f"{claimed.number} jest teraz na innej stronie tej listy." in landed_box(html)
