"""The message inbox on a phone folds its filters as the task list does, so the threads come first; with a
filter on, or on a desktop, the filters stay open."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_inbox_filters_fold_on_a_phone_and_stay_open_with_a_filter_on(page, bok_staff, thread):
    log_in(page, bok_staff)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto("/staff/messages/")

    assert not page.locator("#f-q").is_visible()
    assert page.get_by_role("link", name=thread.subject).is_visible()
    page.locator("details.filters-box > summary").click()
    assert page.locator("#f-q").is_visible()

    page.goto("/staff/messages/?q=Korekta")
    assert page.locator("#f-q").is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/staff/messages/")
    assert page.locator("#f-q").is_visible()
