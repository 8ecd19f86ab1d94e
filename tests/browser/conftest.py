"""Shared Playwright fixtures: headless Chromium against pytest-django's `live_server`.

    @pytest.mark.browser
    @pytest.mark.django_db(transaction=True)
    def test_something(page, login, client_user):
        login(page, client_user)
        page.goto("/")                 # relative URLs resolve against the live server

`browser` is one Chromium per session; `page` is a fresh context per test whose browser asks for
English (Accept-Language: en-US), like most headless setups: the portal must still answer in Polish.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from tests.factories import PASSWORD
from tests.request_helpers import submit_other_request

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures and tests
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (scripts/system-deps.sh test installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, user, password: str = PASSWORD) -> None:
    """Log `user` in through the real login form and wait for the page after it.

    Users who need a second factor (staff, analysts, admins, client administrators, or anyone enrolled)
    get an authenticator app first and type its code at the code step, like a person would.
    """
    from backend.accounts.second_factor import has_second_factor, requires_second_factor
    from tests.second_factor_helpers import code_for, enrol

    device = enrol(user) if requires_second_factor(user) or has_second_factor(user) else None
    page.goto("/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    if device is not None:
        page.fill("#id_code", code_for(device))
        with page.expect_navigation():
            page.click("form button[type=submit].primary")


@pytest.fixture
def login() -> Callable:
    return log_in


@pytest.fixture
def asgi_server():
    """Serve the real ASGI application (HTTP + WebSocket + push relay) from uvicorn on loopback.

    pytest-django's live_server speaks WSGI only; live-push journeys need WebSockets.
    """
    import socket
    import threading
    import time

    import uvicorn

    from backend.config.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def asked(acme, client_user, bok_staff):
    """A request staff have asked the client about: it waits for the client's reply."""
    from backend.requests_app import services, task_hands

    portal_request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=portal_request)
    return services.complete_staff_task(
        staff=bok_staff,
        portal_request=portal_request,
        data={"decision": "ask_client", "question": "Prosimy o skan umowy."},
    )
