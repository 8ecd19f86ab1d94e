"""Session 30 (staff walk): the thread page's "Assign to" pre-selected whoever held the thread, so "Assign"
with nobody chosen changed nothing and said it was done. As on the task page (_assign_form.html) the holder
is not offered: the select starts at "choose", and "Assign" without a choice is an error beside the field."""

from __future__ import annotations

import re

import pytest

from backend.messaging.staff_writes import assign_thread
from tests.logged_in_clients import browsing_as

pytestmark = pytest.mark.django_db


def assign_select(html: str) -> str:
    start = html.index('<select id="id_assignee"')
    return html[start : html.index("</select>", start)]


def test_a_held_threads_assign_to_leaves_its_holder_out_and_a_blank_assign_is_refused(
    bok_staff, second_staff, thread
):
    assign_thread(user=bok_staff, thread=thread, assignee=second_staff)
    browser = browsing_as(bok_staff)

    select = assign_select(browser.get(f"/staff/messages/{thread.pk}/").content.decode())
    assert re.findall(r'<option value="(\d*)"', select) == ["", str(bok_staff.pk)]
    assert " selected" not in select

    # "Assign" pressed without choosing: said at the field, nothing changed, no success message
    response = browser.post(
        f"/staff/messages/{thread.pk}/assign/",
        {"assignee_id": "", "expected_assignee_id": str(second_staff.pk)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="err-assignee_id"' in html and 'class="message success"' not in html
    thread.refresh_from_db()
    assert thread.assignee_id == second_staff.pk
