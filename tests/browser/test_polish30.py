"""Session 30, staff and client walks (helper SP2): the layout findings, measured as a user sees them.

The staff client page's "Booked payments" heading stands apart from the settlements table above it; the
dashboard's client search label is one line beside its field (a narrow column of a wide card wrapped it
onto three); the task list's "Clear filters" stays one line beside "Filter" at 1280 px; the client users
page keeps an active colleague's three actions on one level line at 1280 px ("Usuń" fell alone under the
other two); the client request page's long status badge wraps in its column at 1,024 px instead of running
over the item beside it (as the staff task page's did)."""

from __future__ import annotations

import pytest

from tests.browser.client_world import build_client_world
from tests.browser.conftest import log_in
from tests.complaint_helpers import asked_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How many lines the browser laid an element's text out over.
LINES = """el => new Set([...(() => { const r = document.createRange(); r.selectNodeContents(el);
  return r.getClientRects(); })()].filter(r => r.width).map(r => Math.round(r.top))).size"""


def test_the_staff_client_pages_booked_payments_heading_stands_apart_from_the_table(page, bok_staff):
    world = build_client_world()
    log_in(page, bok_staff)
    page.goto(f"/staff/clients/{world.client.pk}/")
    table = page.locator("[data-testid=balances]").bounding_box()
    heading = page.locator("#payments-title").bounding_box()
    assert heading["y"] - (table["y"] + table["height"]) >= 16


def test_the_dashboards_client_search_label_is_one_line_beside_its_button(page, bok_staff):
    log_in(page, bok_staff)
    page.goto("/staff/")
    assert page.locator("label[for=client-q]").evaluate(LINES) == 1
    field = page.locator("#client-q").bounding_box()
    button = page.get_by_role("button", name="Szukaj").bounding_box()
    assert button["x"] > field["x"] + field["width"]  # beside the field, not under it


def test_the_task_lists_clear_filters_is_one_line_beside_filter_at_1280(page, bok_staff):
    log_in(page, bok_staff)
    page.goto("/staff/tasks/?q=zzz")
    # the filter bar's link (the emptied list offers its own too, tasks-empty-clear)
    clear = page.locator("a:not([data-testid=tasks-empty-clear])", has_text="Wyczyść filtry")
    assert clear.evaluate(LINES) == 1
    filter_button = page.get_by_role("button", name="Filtruj").bounding_box()
    assert clear.bounding_box()["y"] < filter_button["y"] + filter_button["height"]  # beside "Filtruj"


def test_an_active_colleagues_three_actions_are_one_level_line_at_1280(page):
    world = build_client_world()
    world.log_in(page)
    for language in ("pl", "en"):
        world.user.language = language
        world.user.save(update_fields=["language"])
        page.goto("/client/users/")
        rows = page.locator("[data-testid=member-row]").filter(has=page.get_by_test_id("member-suspend"))
        assert rows.count() >= 3
        for row in rows.all():
            buttons = row.locator("td.actions .button").all()
            if len(buttons) != 3:  # a colleague waiting for activation has four
                continue
            tops = {round(button.bounding_box()["y"]) for button in buttons}
            assert len(tops) == 1, (language, [button.inner_text() for button in buttons], tops)


def test_a_long_status_badge_stays_in_its_column_at_1024(
    page, api_as, client_user, bok_staff, django_capture_on_commit_callbacks
):
    # a complaint waiting for the client: stage, status and statutory deadline share the state's row
    request_id = asked_complaint(api_as, client_user, bok_staff, django_capture_on_commit_callbacks)["id"]
    page.set_viewport_size({"width": 1024, "height": 900})
    log_in(page, client_user)
    page.goto(f"/requests/{request_id}/")
    page.locator("#complaint-clock").wait_for()
    status = page.locator("#request-status")
    badge = status.locator(".badge").bounding_box()
    cell = status.bounding_box()
    assert badge["x"] + badge["width"] <= cell["x"] + cell["width"] + 0.5
