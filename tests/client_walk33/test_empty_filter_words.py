"""Every list that a filter empties says it in the same words: the requests and the task list said
"nie spełnia kryteriów filtrowania" where the contracts, invoices, documents and messages say "nie spełnia
warunków filtra"."""

from __future__ import annotations

import pytest

from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def test_an_emptied_request_list_speaks_as_the_other_lists(client, client_user, acme):
    html = logged_in(client, client_user).get("/requests/", {"kind": "complaint"}).content.decode()

    assert "Żaden wniosek nie spełnia warunków filtra." in html
    assert "kryteriów" not in html


def test_an_emptied_task_list_speaks_as_the_other_lists(client, bok_staff):
    html = logged_in(client, bok_staff).get("/staff/tasks/", {"kind": "complaint"}).content.decode()

    assert "Żadne zadanie nie spełnia warunków filtra." in html
    assert "kryteriów" not in html
