"""Staff walk 31b: two things a staff member saw on a desktop.

The task page's "Poproś klienta o informacje" box was stretched to the height of the approval beside it and
stood half empty under its button; each decision box is now as tall as its own form. The staff task list
and inbox showed a bare "Filtry" summary over filter fields that are open on a desktop anyway (forms.js
folds them on a phone only); as on the client lists, the summary shows only where it folds something.
"""

from __future__ import annotations

import pytest

from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How far the box's bottom edge lies below its last control's (its padding and border: about 13 px).
SLACK = """section => {
  const button = section.querySelector('button[type=submit]');
  return section.getBoundingClientRect().bottom - button.getBoundingClientRect().bottom; }"""


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_ask_box_ends_under_its_button(page, login, bok_staff, client_user, acme, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, bok_staff)
    portal_request = submit_other_request(client_user, acme)
    page.goto(f"/staff/tasks/{portal_request.pk}/")
    ask, approve = page.locator("section[aria-labelledby=ask-title]"), page.locator("#form-approve")
    # given: the approval's form beside it is the taller one
    assert (
        ask.bounding_box()["y"] == page.locator("section[aria-labelledby=approve-title]").bounding_box()["y"]
    )
    assert approve.bounding_box()["height"] > ask.locator("form").bounding_box()["height"] + 100
    # then: the ask box still ends right under its own button
    assert ask.evaluate(SLACK) <= 20


@pytest.mark.parametrize(("width", "shown"), [(1024, False), (1280, False), (375, True)])
def test_the_staff_lists_show_their_filter_summary_only_where_it_folds(
    page, login, bok_staff, thread, width, shown
):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, bok_staff)
    for path in ("/staff/tasks/", "/staff/messages/"):
        page.goto(path)
        summary = page.locator("details.filters-box > summary")
        assert summary.is_visible() is shown, path
        # open on a desktop, folded on a phone: the summary is what unfolds them there
        assert page.locator("details.filters-box").evaluate("d => d.open") is not shown, path
        assert page.locator("details.filters-box input[type=search]").is_visible() is not shown, path
        if shown:
            summary.click()
            assert page.locator("details.filters-box input[type=search]").is_visible(), path
