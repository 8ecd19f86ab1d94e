"""The staff task list read on a phone and opened with a mouse: a cell holding two lines stays one value
beside its label, and the heading the page gives the keyboard to on load carries no focus ring (it is
where reading starts, not a control)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_two_line_cell_stays_one_value_beside_its_label_on_a_phone(page, client_user, acme, bok_staff):
    submit_other_request(client_user, acme, subject="Prośba o kopię polisy na kolejny rok")
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, bok_staff)

    page.goto("/staff/tasks/")

    cell = page.locator("td[data-label='Rodzaj i temat']").first
    cell.wait_for()
    # one flex item beside the label (::before): the kind and the subject under it, not side by side
    assert cell.evaluate("td => td.children.length") == 1
    box = cell.bounding_box()
    subject = cell.locator(".task-subject").bounding_box()
    assert subject["x"] + subject["width"] <= box["x"] + box["width"] + 1


def test_the_heading_focused_on_load_shows_no_ring(page, client_user, acme, bok_staff):
    submit_other_request(client_user, acme)
    log_in(page, bok_staff)

    page.goto("/staff/tasks/")
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H1'")

    style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert style == "none"
