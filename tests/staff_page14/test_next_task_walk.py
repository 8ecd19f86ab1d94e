""" "Następne zadanie" as staff walk a filtered list past its first page, with a colleague at work meanwhile
(pages through Django's client)."""

from __future__ import annotations

import re

import pytest

from backend.requests_app import task_hands
from tests.logged_in_clients import browsing_as
from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def next_task_id(html: str) -> int | None:
    match = re.search(r'id="next-task" href="/staff/tasks/(\d+)/"', html)
    return int(match.group(1)) if match else None


def test_next_task_follows_the_lists_filters_past_its_page_and_skips_a_colleagues_task(
    bok_staff, second_staff, client_user, acme
):
    # given: 28 requests about a policy ("Polisa …") and others in between; staff list the policy ones
    policy = [submit_other_request(client_user, acme, f"Polisa {n:02}") for n in range(28)]
    others = [submit_other_request(client_user, acme, "Faktura") for _ in range(3)]
    staff = browsing_as(bok_staff)
    listed = staff.get("/staff/tasks/?q=polisa&sort=number").content.decode()
    shown = [int(pk) for pk in re.findall(r'href="/staff/tasks/(\d+)/"', listed)]
    assert shown[:25] == [r.pk for r in policy[:25]] and policy[25].pk not in shown  # 25 a page
    # a colleague takes the 26th meanwhile
    task_hands.claim_request(staff=second_staff, portal_request=policy[25])

    # when: the 25th, the last row of the page, is decided
    html = staff.post(f"/staff/tasks/{policy[24].pk}/approve/", {"answer": "Zgoda."}, follow=True)
    html = html.content.decode()

    # then: the next one is the 27th (past the page; the colleague's 26th skipped, no other request)
    assert next_task_id(html) == policy[26].pk
    assert {r.pk for r in others}.isdisjoint({next_task_id(html)})

    # and a task the colleague holds offers the way on too, not a dead end
    held = staff.get(f"/staff/tasks/{policy[25].pk}/").content.decode()
    assert "Nad tym zadaniem pracuje Piotr Zając." in held
    assert next_task_id(held) == policy[26].pk


def test_after_the_last_task_of_the_list_the_page_says_so_and_leads_back(bok_staff, client_user, acme):
    # given: a list of one request matching the search
    only = submit_other_request(client_user, acme, "Żółta tablica")
    submit_other_request(client_user, acme, "Faktura")
    staff = browsing_as(bok_staff)
    staff.get("/staff/tasks/?q=tablica")

    # when
    html = staff.post(f"/staff/tasks/{only.pk}/approve/", {"answer": "Zgoda."}, follow=True).content.decode()

    # then
    assert next_task_id(html) is None
    assert re.search(
        r'<p id="no-next-task">To było ostatnie zadanie z tej listy\. '
        r'<a href="/staff/tasks/\?q=tablica">Wróć do listy</a></p>',
        html,
    )
