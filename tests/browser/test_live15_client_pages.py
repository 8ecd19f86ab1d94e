"""The client's live pages as a browser meets them: one socket per page, a logout in another tab leaves
every tab, the message thread and the request list follow staff, and a lost connection says so.

The real ASGI application (HTTP + WebSocket + push relay) runs in uvicorn, as tests/browser's asgi_server.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.test import Client as DjangoClient

from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageThread
from backend.messaging.staff_writes import reply_as_staff
from backend.requests_app import services, task_hands
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Server:
    """uvicorn serving the portal on one port, which a test may stop and start again (the server down)."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.thread = None

    def start(self) -> None:
        import uvicorn

        from backend.config.asgi import application

        config = uvicorn.Config(
            application, host="127.0.0.1", port=self.port, lifespan="off", log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def server(settings):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    running = Server()
    running.start()
    yield running
    running.stop()


def session_context(browser, server: Server, user):
    """A browser (one session, several tabs) logged in as `user`."""
    django_client = DjangoClient()
    django_client.force_login(user)
    context = browser.new_context(base_url=server.url, locale="pl-PL")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": django_client.cookies["sessionid"].value, "url": server.url}]
    )
    return context


class Sockets:
    """The WebSockets a tab opened and the frames the server sent on them."""

    def __init__(self, page) -> None:
        self.page = page
        self.opened: list = []
        self.frames: list[str] = []
        page.on("websocket", self._opened)

    def _opened(self, websocket) -> None:
        self.opened.append(websocket)
        websocket.on("framereceived", lambda payload: self.frames.append(str(payload)))

    def wait_for_hello(self) -> None:
        for _ in range(150):
            if any('"hello"' in frame for frame in self.frames):
                return
            self.page.wait_for_timeout(100)
        raise AssertionError("the page's socket never said hello")


def open_tab(context, path: str) -> tuple:
    page = context.new_page()
    sockets = Sockets(page)
    page.goto(path)
    sockets.wait_for_hello()
    return page, sockets


def new_thread(client_user, acme) -> MessageThread:
    return start_thread(
        user=client_user,
        client=acme,
        subject="Faktura za marzec",
        category=MessageThread.Category.INVOICES,
        body="Proszę o korektę.",
        contract=None,
    )


def test_logout_in_one_tab_leaves_every_open_tab(browser, server, client_user, acme):
    # given: one browser with the invoice list, a message thread and the home page open
    thread = new_thread(client_user, acme)
    context = session_context(browser, server, client_user)
    invoices, _ = open_tab(context, "/invoices/")
    thread_tab, _ = open_tab(context, f"/messages/{thread.pk}/")
    home, _ = open_tab(context, "/")

    # when: "Wyloguj się" in one of them
    home.click("form[action='/logout/'] button")
    home.wait_for_url("**/login/**")

    # then: every other tab leaves the company's data for the login page, which says why
    for tab in (invoices, thread_tab):
        tab.wait_for_url("**/login/**", timeout=5_000)
        assert tab.locator("[data-testid=login-to-continue]").count() == 1
        assert acme.name not in tab.content()
    context.close()


def test_a_live_page_opens_one_socket_shared_by_the_bell(browser, server, client_user, acme):
    # given: the request page (the bell and the live request view) and the thread page are open
    portal_request = submit_other_request(client_user, acme)
    thread = new_thread(client_user, acme)
    context = session_context(browser, server, client_user)
    request_tab, request_sockets = open_tab(context, f"/requests/{portal_request.pk}/")
    request_tab.wait_for_selector("#live-indicator[data-state=online]")
    request_tab.wait_for_timeout(1000)

    # then: the page has one socket: every event arrives once
    assert len(request_sockets.opened) == 1

    # and so has the live thread page
    thread_tab, thread_sockets = open_tab(context, f"/messages/{thread.pk}/")
    thread_tab.wait_for_selector("[data-live-indicator][data-state=online]")
    thread_tab.wait_for_timeout(1000)
    assert len(thread_sockets.opened) == 1
    context.close()


def test_open_thread_shows_the_staff_answer_without_a_reload(browser, server, client_user, acme, bok_staff):
    # given: the client's thread waits for an answer, open in the browser
    thread = new_thread(client_user, acme)
    context = session_context(browser, server, client_user)
    page, _ = open_tab(context, f"/messages/{thread.pk}/")
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    assert page.inner_text("[data-testid=thread-status]") == "Oczekuje na odpowiedź"
    page.evaluate("window.__notReloaded = true")

    # when: customer service answer
    reply_as_staff(user=bok_staff, thread=thread, body="Korekta wystawiona.")

    # then: the answer and the new status appear on the same page
    page.wait_for_function(
        "() => document.querySelector('[data-testid=thread-messages]').innerText.includes('Korekta wystawiona.')"
    )
    page.wait_for_function(
        "() => document.querySelector('[data-testid=thread-status]').textContent.trim() === 'Udzielono odpowiedzi'"
    )
    assert page.evaluate("window.__notReloaded") is True
    context.close()


def test_request_list_follows_staff_questions(browser, server, client_user, acme, bok_staff):
    # given: the client's request list with a request in review
    portal_request = submit_other_request(client_user, acme)
    context = session_context(browser, server, client_user)
    page, _ = open_tab(context, "/requests/")
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    row = page.locator("tr", has=page.locator(f"a[href='/requests/{portal_request.pk}/']"))
    assert row.locator(".badge-status-waiting_for_client").count() == 0
    page.evaluate("window.__notReloaded = true")

    # when: staff ask the client
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    services.complete_staff_task(
        staff=bok_staff,
        portal_request=portal_request,
        data={"decision": "ask_client", "question": "Prosimy o skan umowy."},
    )

    # then: the row says it waits for the client, without a reload
    row.locator(".badge-status-waiting_for_client").wait_for()
    assert "Czeka na Twoją odpowiedź" in row.inner_text()
    assert "W weryfikacji" not in row.inner_text()
    assert page.evaluate("window.__notReloaded") is True
    context.close()


def test_a_lost_connection_is_said_at_the_top_until_it_is_back(browser, server, client_user, acme):
    # given: the request page is live
    portal_request = submit_other_request(client_user, acme)
    context = session_context(browser, server, client_user)
    page, sockets = open_tab(context, f"/requests/{portal_request.pk}/")
    page.wait_for_selector("#live-indicator[data-state=online]")
    banner = page.locator("main [role=status][data-live-offline]")
    assert banner.inner_text() == ""

    # when: the server stops
    server.stop()

    # then: a banner at the top of the page says the updates are paused and the data may be old
    page.wait_for_function(
        "() => document.querySelector('[data-live-offline]').innerText.includes('wstrzymane')", timeout=10_000
    )
    assert "może być nieaktualne" in banner.inner_text()
    assert page.evaluate("document.querySelector('main').firstElementChild.hasAttribute('data-live-offline')")

    # when: the server is back
    server.start()

    # then: the page reconnects and the banner goes
    page.wait_for_selector("#live-indicator[data-state=online]", timeout=40_000)
    page.wait_for_function("() => document.querySelector('[data-live-offline]').innerText === ''")
    context.close()
