"""The task page's "Assign to" refused (nobody chosen) keeps its error beside the field: the page of a form
post carries no outbox cursor, so its live socket fetches the page once more at once, and the state box
(data-live-always, which holds the assign form) was swapped for the plain page: the message vanished a
moment after it showed, the keyboard left on a field that no longer said what was wrong."""

from __future__ import annotations

import pytest

from tests.browser.test_staff_inbox import open_as
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the live page's fetches (staff_live.js says each with a live:refreshed event on its root).
COUNT_REFRESHES = (
    "window.__refreshed = 0;"
    "document.addEventListener('live:refreshed', () => { window.__refreshed += 1; }, true);"
)


def test_the_refused_assignment_keeps_its_error_after_the_live_catch_up(
    browser, asgi_server, bok_staff, client_user, acme
):
    request = submit_other_request(client_user, acme)
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{request.pk}/")
    page.add_init_script(COUNT_REFRESHES)
    page.wait_for_selector("[data-live-indicator][data-state=online]")

    with page.expect_navigation():  # nobody chosen in "Assign to"
        page.click("#assign")
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    page.wait_for_function("() => window.__refreshed > 0")  # the catch-up fetch has been compared and shown

    assert page.locator("#err-assignee_id").inner_text() == "Wybierz osobę z Biura Obsługi Klienta."
    assert page.get_attribute("#assign-to", "aria-invalid") == "true"
    context.close()


def test_a_real_change_still_replaces_the_state_box_with_the_error_in_it(
    browser, asgi_server, bok_staff, second_staff, client_user, acme, settings
):
    from backend.requests_app import task_hands

    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    request = submit_other_request(client_user, acme)
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{request.pk}/")
    page.add_init_script(COUNT_REFRESHES)
    with page.expect_navigation():
        page.click("#assign")
    page.wait_for_function("() => window.__refreshed > 0")

    # a colleague takes the task meanwhile: the state box says so, live
    task_hands.claim_request(staff=second_staff, portal_request=request)

    page.wait_for_function("() => document.getElementById('assignee').innerText.includes('Piotr')")
    assert page.locator("#err-assignee_id").count() == 0
    context.close()
