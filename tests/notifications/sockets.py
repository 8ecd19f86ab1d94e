"""Helpers for driving the portal WebSocket through the real ASGI application in tests."""

from __future__ import annotations

import threading

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client as BrowserClient

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from backend.config.asgi import application
from backend.core.models import OutboxEvent
from notifications.push import relay_for_running_loop

Kind = OutboxEvent.Kind


def logged_in_browser(user, active_client=None) -> BrowserClient:
    """Return a test browser with a session of its own, logged in as `user`."""
    browser = BrowserClient()
    browser.force_login(user)
    if active_client is not None:
        session = browser.session
        session[ACTIVE_CLIENT_SESSION_KEY] = active_client.pk
        session.save()
    return browser


def browser_headers(browser: BrowserClient) -> list[tuple[bytes, bytes]]:
    """Return the handshake headers of a socket opened by `browser`'s page (same session cookie)."""
    return [
        (b"origin", b"http://testserver"),
        (b"cookie", f"sessionid={browser.cookies['sessionid'].value}".encode()),
    ]


def headers_for(user, active_client=None) -> list[tuple[bytes, bytes]]:
    if user is None:
        return [(b"origin", b"http://testserver")]
    return browser_headers(logged_in_browser(user, active_client))


def communicator_for(headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/portal/", headers=headers)


@database_sync_to_async
def write_event(client, *, request_id: int, stage: str = "Weryfikacja", kind=Kind.REQUEST_STAGE_CHANGED):
    return OutboxEvent.objects.create(
        kind=kind,
        client=client,
        subject_type="requests_app.portalrequest",
        subject_id=request_id,
        payload={
            "request_id": request_id,
            "number": f"WN/{request_id}",
            "stage": stage,
            "status": "in_progress",
            "waiting_for": "staff",
            "contact_phone": "+48 600 000 000",
        },
    ).pk


def run(scenario):
    """Run an async scenario in a thread of its own and return its result.

    A session-wide Playwright browser keeps an event loop in the main thread, where async_to_sync
    refuses to run; a fresh thread has none. Its database connection is closed when it ends.
    """
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = async_to_sync(scenario)()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def receive_event(communicator) -> dict:
    while True:
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] == "event":
            return message["event"]


async def close(*communicators) -> None:
    """Disconnect the sockets and wait for the relay loop, which ends once no socket is open."""
    relay = relay_for_running_loop()
    for communicator in communicators:
        await communicator.disconnect()
    if relay.task is not None:
        await relay.task


async def open_socket(browser: BrowserClient) -> tuple[WebsocketCommunicator, dict]:
    """Connect a socket with the browser's session; returns it and its hello frame."""
    communicator = communicator_for(browser_headers(browser))
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from(timeout=5)
    return communicator, hello


async def receive_close_code(communicator: WebsocketCommunicator) -> int:
    """The close code of the next frame, which must be a close (no event slips in before it)."""
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    return output["code"]
