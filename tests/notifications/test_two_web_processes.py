"""Two web processes on the embedded default (SQLite, in-memory channel layer), as scripts/serve_web.py runs
them: a change made through either reaches the sockets held by both, with no Redis between them, at once
(the relays poll only every minute here: what arrives came by the other process's wake), and a logout
through one closes the session's sockets on the other."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.notifications.sockets import run
from tests.requests_app.helpers import submission
from tests.scaled.conftest import free_port
from tests.scaled.test_two_processes import logged_in_cookies, post

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default is SQLite"),
]

REPO_ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 20


class WebProcess:
    def __init__(self, name: str, env: dict[str, str], log_dir: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{name}.log"
        args = [sys.executable, str(REPO_ROOT / "scripts" / "serve_web.py"), "--port", str(self.port)]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                args, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while not self._healthy():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name} did not start: {self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.base_url + "/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def two_web_processes(transactional_db, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="backend.config.settings",
        SQLITE_PATH=str(connection.settings_dict["NAME"]),
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        PORTAL_MEDIA_ROOT=str(tmp_path / "media"),
        # Longer than WAIT_SECONDS: an event reaches the other process's sockets only by its wake.
        LIVE_PUSH_POLL_SECONDS="60",
        PYTHONUNBUFFERED="1",
    )
    started = []
    try:
        for name in ("web-a", "web-b"):
            started.append(WebProcess(name, env, tmp_path))
        yield started
    finally:
        for process in started:
            process.stop()


def socket_of(server, cookies: dict[str, str]):
    return connect(
        server.ws_url + "/ws/portal/",
        additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        origin=server.base_url,
        open_timeout=WAIT_SECONDS,
    )


async def event_where(socket, matches) -> dict:
    deadline = time.monotonic() + WAIT_SECONDS
    while (remaining := deadline - time.monotonic()) > 0:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=remaining))
        if message.get("type") == "event" and matches(message["event"]):
            return message["event"]
    raise AssertionError(f"no matching event within {WAIT_SECONDS} s")


def test_a_change_made_through_either_process_reaches_the_sockets_of_both(
    two_web_processes, client_user, acme, acme_contract, bok_staff
):
    # given two web processes with nothing but the SQLite file between them, and a submitted request
    web_a, web_b = two_web_processes
    client_cookies = logged_in_cookies(client_user, client_id=acme.pk)
    staff_cookies = logged_in_cookies(bok_staff)
    body = submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    submitted = post(web_a, client_cookies, "/api/requests/", body)
    assert submitted.status_code == 201, submitted.text
    request_id = submitted.json()["id"]

    async def scenario() -> tuple[dict, dict, dict]:
        async with (
            socket_of(web_a, client_cookies) as client_on_a,
            socket_of(web_b, client_cookies) as client_on_b,
            socket_of(web_a, staff_cookies) as staff_on_a,
        ):
            for socket in (client_on_a, client_on_b, staff_on_a):
                assert json.loads(await asyncio.wait_for(socket.recv(), WAIT_SECONDS))["type"] == "hello"

            # when the staff member asks through process A
            asked = await asyncio.to_thread(
                post,
                web_a,
                staff_cookies,
                f"/api/staff/requests/{request_id}/ask-client/",
                {"question": "Skan?"},
            )
            assert asked.status_code == 200, asked.text

            # then the client's sockets on both processes hear it
            def waiting(event):
                return event.get("request_id") == request_id and event.get("status") == "waiting_for_client"

            on_a = await event_where(client_on_a, waiting)
            on_b = await event_where(client_on_b, waiting)

            # and when the client replies through process B, the staff socket on process A hears it
            replied = await asyncio.to_thread(
                post,
                web_b,
                client_cookies,
                f"/api/requests/{request_id}/reply/",
                {"message": "W załączeniu."},
            )
            assert replied.status_code == 200, replied.text
            staff_event = await event_where(
                staff_on_a,
                lambda event: event.get("request_id") == request_id and event.get("status") == "in_review",
            )
            return on_a, on_b, staff_event

    on_a, on_b, staff_event = run(scenario)
    assert on_a["id"] == on_b["id"] and on_a["client_id"] == acme.pk
    assert staff_event["client_id"] == acme.pk


@pytest.mark.parametrize("logout_on", ["A", "B"], ids=["the-same-process", "the-other-process"])
def test_a_logout_through_either_process_closes_the_sessions_socket(
    two_web_processes, client_user, acme, logout_on
):
    # given a client's socket on process A, whose HTTP runs on the WSGI thread pool
    web_a, web_b = two_web_processes
    serving = web_a if logout_on == "A" else web_b
    cookies = logged_in_cookies(client_user, client_id=acme.pk)

    async def scenario() -> int:
        async with socket_of(web_a, cookies) as socket:
            assert json.loads(await asyncio.wait_for(socket.recv(), WAIT_SECONDS))["type"] == "hello"

            # when the same session logs out through process A or B
            response = await asyncio.to_thread(
                httpx.post,
                serving.base_url + "/logout/",
                cookies=cookies,
                headers={"X-CSRFToken": cookies["csrftoken"], "Referer": serving.base_url + "/"},
            )
            assert response.status_code in {200, 302}, response.text

            # then A closes the socket as "session ended", with no event to make it look: on A a thread
            # of the pool (no event loop) hands the message to the loop holding the socket; from B it
            # comes by B's datagram (notifications/relay_wake.py)
            with pytest.raises(ConnectionClosed):
                while True:
                    await asyncio.wait_for(socket.recv(), WAIT_SECONDS)
            return socket.close_code

    assert run(scenario) == 4401
