"""A staff day on the task page in Chromium: two staff members on one request, and the page on a phone.

Live (the real ASGI app): a page that only caught up with the server keeps its controls and charts in
place; a colleague's decision while Piotr types shows in the state box at once, a banner says who decided,
the typed text stays, and sending it anyway answers who and how with the text kept. On a phone (375 px)
the list folds its filters and the task page shows the request's data under its state; a failed post
leaves the page's address and the other forms' text alone; the keyboard starts on the heading or on the
message of what was just done, and after the decision "Next task" leads on.
"""

from __future__ import annotations

import pytest
from django.test import Client as DjangoClient

from backend.requests_app import decisions
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every live update is recorded (the regions it swapped) and the first controls are marked before the
# page's own scripts can replace them: a mark that survives is the same element.
WATCH = """
window.__swaps = [];
window.addEventListener("live:refreshed", function (e) {
  window.__swaps.push(e.detail && e.detail.regions ? e.detail.regions : ["(swapped)"]);
}, true);
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("#claim, canvas").forEach(function (el) { el.dataset.kept = "1"; });
});
"""


def open_as(browser, base_url: str, user, path: str, *, width: int = 1280, watch: bool = False):
    django_client = DjangoClient()
    django_client.force_login(user)
    context = browser.new_context(base_url=base_url, locale="pl-PL", viewport={"width": width, "height": 800})
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": django_client.cookies["sessionid"].value, "url": base_url}]
    )
    if watch:
        context.add_init_script(WATCH)
    page = context.new_page()
    page.goto(path)
    return context, page


def test_a_colleagues_decision_while_typing_shows_at_once_and_the_text_stays(
    browser, asgi_server, bok_staff, second_staff, client_user, acme, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    request = submit_other_request(client_user, acme)
    context, page = open_as(browser, asgi_server, second_staff, f"/staff/tasks/{request.pk}/", watch=True)

    # connected with nothing new since the page was drawn: no catch-up fetch, no part replaced under the mouse
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__swaps") == []
    assert page.evaluate("document.getElementById('claim').dataset.kept") == "1"

    # given: Piotr types a reason; when: Barbara approves meanwhile
    page.fill("#reject-reason", "Brak podpisu na skanie.")
    decisions.decide_request(actor=bok_staff, request_id=request.pk, decision="approve", answer="Zgoda.")

    # then: the state box follows at once, a banner over the forms says who decided, the text stays
    page.wait_for_function("() => document.getElementById('request-status').dataset.status === 'completed'")
    assert page.locator("#claim").count() == 0
    banner = page.locator("[data-live-held-banner]")
    banner.wait_for()
    assert "Wniosek został już zatwierdzony (Barbara Obsługa, " in banner.inner_text()
    assert "Wpisany tekst pozostaje poniżej i nie został wysłany." in banner.inner_text()
    assert page.input_value("#reject-reason") == "Brak podpisu na skanie."

    # when: he rejects anyway; then: who approved, his text to copy, on the task page's own address
    page.click("#form-reject button[type=submit]")
    with page.expect_navigation():
        page.click("#decision-confirm-ok")  # the decision asks first
    assert "Wniosek został już zatwierdzony (Barbara Obsługa, " in page.inner_text("#unsent")
    assert page.input_value("#unsent-message") == "Brak podpisu na skanie."
    assert page.evaluate("document.activeElement.id") == "unsent-message"
    assert page.url == f"{asgi_server}/staff/tasks/{request.pk}/"
    context.close()

    # and the dashboard, whose charts drew once, keeps them: nothing new, nothing fetched again
    context, dashboard = open_as(browser, asgi_server, bok_staff, "/staff/", watch=True)
    assert dashboard.locator("canvas").count() > 0
    dashboard.wait_for_selector("[data-live-indicator][data-state=online]")
    dashboard.wait_for_timeout(500)
    assert dashboard.evaluate("window.__swaps") == []
    assert dashboard.evaluate("[...document.querySelectorAll('canvas')].every((c) => c.dataset.kept === '1')")
    context.close()


def test_a_phone_day_on_the_task_list_and_page(browser, live_server, bok_staff, client_user, acme):
    first = submit_other_request(client_user, acme, "Pierwsza sprawa")
    second = submit_other_request(client_user, acme, "Druga sprawa")

    # the list on a phone: the filters folded under their count, the keyboard on the heading
    context, page = open_as(
        browser, live_server.url, bok_staff, "/staff/tasks/?kind=other_request", width=375
    )
    assert page.evaluate("document.querySelector('details.filters-box').open") is False
    assert page.inner_text("#filters-summary") == "Filtry (1 aktywny)"
    assert not page.is_visible("#flt-kind")
    assert page.evaluate("document.activeElement.tagName") == "H1"
    page.set_viewport_size({"width": 1280, "height": 800})  # on a desktop they stand open
    page.wait_for_function("() => document.querySelector('details.filters-box').open")
    page.set_viewport_size({"width": 375, "height": 800})

    # the task page: the request's data right under its state, before the forms
    page.goto(f"/staff/tasks/{first.pk}/")
    assert page.evaluate("document.activeElement.tagName") == "H1"
    state, data, work = (
        page.locator(f"#{i}").bounding_box() for i in ("task-state", "request-data", "task-live")
    )
    assert state["y"] + state["height"] <= data["y"] <= state["y"] + state["height"] + 40
    assert data["y"] < work["y"]

    # a failed post (a rejection without its reason) stays on the page's address, the question typed
    # in the other form survives it, and the keyboard is on the problem
    page.fill("#ask-question", "Czy umowa jest podpisana?")
    with page.expect_navigation():
        page.click("#form-reject button[type=submit]")
    assert page.url == f"{live_server.url}/staff/tasks/{first.pk}/"
    assert page.input_value("#ask-question") == "Czy umowa jest podpisana?"
    assert page.evaluate("document.activeElement.id") == "reject-reason"

    # claiming: the keyboard on the message of what was done; the question still there
    with page.expect_navigation():
        page.click("#claim")
    assert page.evaluate("document.activeElement.textContent") == "Zadanie zostało przypisane do Ciebie."
    assert page.input_value("#ask-question") == "Czy umowa jest podpisana?"

    # the decision: its message, and the way on to the next task of the list
    page.fill("#approve-answer", "Zgoda.")
    page.click("#form-approve button[type=submit]")
    with page.expect_navigation():
        page.click("#decision-confirm-ok")  # the decision asks first
    assert page.evaluate("document.activeElement.textContent") == "Wniosek został zatwierdzony."
    with page.expect_navigation():
        page.click("#next-task")
    assert page.url == f"{live_server.url}/staff/tasks/{second.pk}/"
    assert page.get_attribute("#back-to-tasks", "href") == "/staff/tasks/?kind=other_request"
    context.close()
