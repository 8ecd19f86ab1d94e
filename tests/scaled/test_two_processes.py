"""Two ASGI server processes and a Celery worker on PostgreSQL + Redis, as compose.yaml runs them.

A staff action sent to process A reaches a client's WebSocket connected to process B: the only paths
between the two processes are PostgreSQL (outbox rows) and Redis (channel layer, Celery broker).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time

import httpx
import pytest
from django.conf import settings
from django.test import Client as BrowserClient
from websockets.asyncio.client import connect

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from notifications.models import Notice
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.scaled

WAIT_SECONDS = 20


def logged_in_cookies(user, *, client_id: int | None = None) -> dict[str, str]:
    """Log `user` in through a session row in the shared database; return a browser's cookies."""
    browser = BrowserClient()
    browser.force_login(user)
    if client_id is not None:
        session = browser.session
        session[ACTIVE_CLIENT_SESSION_KEY] = client_id
        session.save()
    return {
        settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value,
        # An unmasked CSRF secret is accepted when cookie and header carry the same value.
        settings.CSRF_COOKIE_NAME: secrets.token_hex(16),
    }


def post(server, cookies: dict[str, str], path: str, body: dict) -> httpx.Response:
    return httpx.post(
        server.base_url + path,
        json=body,
        cookies=cookies,
        headers={"X-CSRFToken": cookies[settings.CSRF_COOKIE_NAME]},
        timeout=30,
    )


def websocket(server, cookies: dict[str, str]):
    cookie_header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return connect(
        server.ws_url + "/ws/portal/",
        additional_headers={"Cookie": cookie_header},
        origin=server.base_url,
        open_timeout=WAIT_SECONDS,
    )


async def next_event(socket, matches) -> dict:
    """Return the first pushed event for which `matches(event)` holds; fail after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no matching event within {WAIT_SECONDS} s")
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=remaining))
        if message.get("type") == "event" and matches(message["event"]):
            return message["event"]


def test_staff_action_on_process_a_reaches_client_socket_on_process_b(
    start_portal_process, client_user, acme, acme_contract, bok_staff
):
    # given: two web processes and a worker sharing only PostgreSQL and Redis
    server_a = start_portal_process("asgi", "web-a")
    server_b = start_portal_process("asgi", "web-b")
    start_portal_process("worker", "worker")
    client_cookies = logged_in_cookies(client_user, client_id=acme.pk)
    staff_cookies = logged_in_cookies(bok_staff)
    body = submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    submitted = post(server_a, client_cookies, "/api/requests/", body)
    assert submitted.status_code == 201, submitted.text
    request_id = submitted.json()["id"]

    async def scenario() -> tuple[dict, int]:
        # The staff page is open on A too, so A's relay pushes A's commits through Redis at once.
        async with (
            websocket(server_b, client_cookies) as client_socket,
            websocket(server_a, staff_cookies) as staff_socket,
        ):
            hello = json.loads(await asyncio.wait_for(client_socket.recv(), timeout=WAIT_SECONDS))
            assert hello == {"type": "hello", "client_id": acme.pk, "staff": False, "cursor": hello["cursor"]}
            await asyncio.wait_for(staff_socket.recv(), timeout=WAIT_SECONDS)

            # when: the staff member asks the client a question through process A
            response = await asyncio.to_thread(
                post,
                server_a,
                staff_cookies,
                f"/api/staff/requests/{request_id}/ask-client/",
                {"question": "Prosimy o potwierdzenie nowego dnia płatności."},
            )
            assert response.status_code == 200, response.text

            # then: the client's socket on process B gets the stage change live
            event = await next_event(
                client_socket,
                lambda event: (
                    event.get("request_id") == request_id and event.get("status") == "waiting_for_client"
                ),
            )
            return event, response.status_code

    event, _ = asyncio.run(scenario())
    assert event["client_id"] == acme.pk
    assert event["kind"].startswith("request.")
    assert set(event) <= {
        "id",
        "kind",
        "subject_type",
        "subject_id",
        "client_id",
        "request_id",
        "number",
        "stage",
        "status",
        "waiting_for",
        "thread_id",
        "own",  # whether it was this socket's user: the staff member's question is not the client's act
    }
    assert event["own"] is False and "actor_id" not in event

    # and the worker, fed through the Redis broker, made the in-portal notices of the request
    deadline = time.monotonic() + WAIT_SECONDS
    while not Notice.objects.filter(recipient=client_user, subject_id=request_id).exists():
        assert time.monotonic() < deadline, "the Celery worker made no notice for the client"
        time.sleep(0.2)
