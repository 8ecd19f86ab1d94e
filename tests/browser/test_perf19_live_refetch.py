"""A live page fetches itself again only when it may have missed something: an event committed between
its render and its socket's hello, or a reconnect. Opening a page where nothing happens costs one
render and one unread count."""

from __future__ import annotations

import pytest

from backend.requests_app import services, task_hands
from tests.browser.test_live15_client_pages import server, session_context  # noqa: F401 (fixture)
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST = "/requests/"
UNREAD_COUNT = "/api/notices/unread-count/"


class Requests:
    """The page's own HTTP requests: live re-fetches of its address and unread counts."""

    def __init__(self, page, base_url: str) -> None:
        self.refetches: list[str] = []
        self.counts = 0
        self.base_url = base_url
        page.on("request", self._seen)

    def _seen(self, request) -> None:
        path = request.url.removeprefix(self.base_url)
        if request.headers.get("x-requested-with") == "fetch":
            self.refetches.append(path)
        elif path.startswith(UNREAD_COUNT):
            self.counts += 1


def ask_the_client(portal_request, staff) -> None:
    task_hands.claim_request(staff=staff, portal_request=portal_request)
    services.complete_staff_task(
        staff=staff,
        portal_request=portal_request,
        data={"decision": "ask_client", "question": "Prosimy o skan umowy."},
    )


def test_opening_a_live_page_where_nothing_happens_renders_it_once(browser, server, client_user, acme):  # noqa: F811
    # given
    submit_other_request(client_user, acme)
    context = session_context(browser, server, client_user)
    page = context.new_page()
    seen = Requests(page, server.url)

    # when: the request list opens and its socket says hello
    page.goto(LIST)
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    page.wait_for_timeout(1500)

    # then: no second render of the page, one unread count
    assert seen.refetches == []
    assert seen.counts == 1
    context.close()


def test_an_event_between_the_render_and_the_hello_still_reaches_the_page(
    browser,
    server,  # noqa: F811
    client_user,
    acme,
    bok_staff,
):
    # given: the request list rendered, its socket held before it reaches the server
    portal_request = submit_other_request(client_user, acme)
    context = session_context(browser, server, client_user)
    page = context.new_page()
    seen = Requests(page, server.url)
    held = []
    page.route_web_socket("**/ws/portal/", lambda ws: held.append(ws))
    page.goto(LIST)
    page.wait_for_function("() => document.readyState === 'complete'")
    row = page.locator("tr", has=page.locator(f"a[href='/requests/{portal_request.pk}/']"))
    assert row.locator(".badge-status-waiting_for_client").count() == 0

    # when: staff ask the client meanwhile (the event is pushed to nobody: the socket is not in yet),
    # then the socket reaches the server
    ask_the_client(portal_request, bok_staff)
    page.wait_for_timeout(300)  # the relay has pushed the event to the sockets it had
    assert len(held) == 1
    held[0].connect_to_server()

    # then: the hello's cursor differs from the page's: the page fetches itself and shows the question
    row.locator(".badge-status-waiting_for_client").wait_for(timeout=10_000)
    assert seen.refetches == [LIST]
    context.close()


def test_a_reconnect_fetches_the_page_again(browser, server, client_user, acme):  # noqa: F811
    # given: the request list, live
    submit_other_request(client_user, acme)
    context = session_context(browser, server, client_user)
    page = context.new_page()
    seen = Requests(page, server.url)
    sockets = []
    page.route_web_socket("**/ws/portal/", lambda ws: sockets.append(ws) or ws.connect_to_server())
    page.goto(LIST)
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    page.wait_for_timeout(500)
    assert seen.refetches == []

    # when: the connection drops (events meanwhile would be lost) and the page connects again
    sockets[0].close(code=1011, reason="gone")
    page.wait_for_function(
        "() => document.querySelector('[data-live-indicator]').dataset.state === 'offline'"
    )
    page.wait_for_selector("[data-live-indicator][data-state=online]", timeout=15_000)

    # then: it fetches itself again, whatever the cursors say
    for _ in range(30):
        if seen.refetches:
            break
        page.wait_for_timeout(100)
    assert seen.refetches == [LIST]
    assert len(sockets) == 2
    context.close()
