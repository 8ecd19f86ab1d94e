"""The task list filtered to nothing said "No tasks match the filters." and no more: on a phone, where the
filters are folded, the way back was to unfold them and find "Wyczyść filtry" at their end. The empty
list now offers it itself, as the message inbox's does, keeping the list (scope) it is on."""

from __future__ import annotations

import re

import pytest

from tests.request_helpers import submit_other_request

pytestmark = pytest.mark.django_db


def _empty_state(html: str) -> str:
    return re.search(r'<div class="empty-state" data-testid="tasks-empty">.*?</div>', html, re.S).group(0)


def test_a_search_finding_nothing_offers_to_clear_the_filters(client, bok_staff, client_user, acme):
    submit_other_request(client_user, acme)
    client.force_login(bok_staff)

    html = client.get("/staff/tasks/?scope=open&q=zzzz").content.decode()

    empty = _empty_state(html)
    assert "Żadne zadanie nie spełnia warunków filtra." in empty
    assert re.search(
        r'<a href="/staff/tasks/\?scope=open" data-testid="tasks-empty-clear">Wyczyść filtry</a>', empty
    )


def test_an_empty_list_without_filters_offers_nothing_to_clear(client, bok_staff):
    client.force_login(bok_staff)

    html = client.get("/staff/tasks/").content.decode()

    assert "tasks-empty-clear" not in _empty_state(html)
