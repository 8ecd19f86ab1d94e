"""A task page's side cards: a heading after the data list ("Attachments", the client's overdue invoices)
stands apart from the list's last line, and on a phone the assign select has its own row."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.request_helpers import submit_other_request

# The room between each data list and the heading after it, in pixels.
GAPS = """() => [...document.querySelectorAll('.task-layout .data-list + h3')].map((h3) =>
  Math.round(h3.getBoundingClientRect().top - h3.previousElementSibling.getBoundingClientRect().bottom))"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_heading_after_the_request_data_has_room_above_it(page, bok_staff, client_user, acme):
    portal_request = submit_other_request(client_user, acme, subject="Pytanie o fakturę")
    log_in(page, bok_staff)

    page.goto(f"/staff/tasks/{portal_request.pk}/")

    gaps = page.evaluate(GAPS)
    assert gaps and all(gap >= 12 for gap in gaps), gaps


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_assign_select_has_its_row_and_its_words_whole(page, bok_staff, client_user, acme):
    portal_request = submit_other_request(client_user, acme, subject="Pytanie o fakturę")
    log_in(page, bok_staff)
    page.set_viewport_size({"width": 375, "height": 812})

    page.goto(f"/staff/tasks/{portal_request.pk}/")

    # then the select takes the form's width ("Wybierz pracownik" was cut beside the button) …
    form = page.locator("#assign-form").bounding_box()
    select = page.locator("#assign-to").bounding_box()
    button = page.locator("#assign").bounding_box()
    assert select["width"] >= 0.9 * form["width"], (select, form)
    assert button["y"] >= select["y"] + select["height"]
    # … while a desktop keeps the button beside it
    page.set_viewport_size({"width": 1280, "height": 900})
    select = page.locator("#assign-to").bounding_box()
    button = page.locator("#assign").bounding_box()
    assert button["x"] >= select["x"] + select["width"]
