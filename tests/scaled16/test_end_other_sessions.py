"""Konto → Bezpieczeństwo → "Wyloguj ze wszystkich innych urządzeń" closes the other devices' open tabs at
once, as a logout does: their sockets are told session.ended, after commit, in every process."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from notifications.consumers import CLOSE_SESSION_ENDED
from tests.notifications.sockets import (
    close,
    logged_in_browser,
    open_socket,
    receive_event,
    run,
    write_event,
)

# Real commits: the relay and the session checks read from other threads.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_relay")]


def test_logging_out_the_other_devices_closes_their_open_tabs_at_once(client_user, acme):
    # given: Anna has the portal open on her laptop, her phone and here
    laptop, phone, here = (logged_in_browser(client_user) for _ in range(3))

    async def scenario():
        laptop_tab, phone_tab, this_tab = [(await open_socket(b))[0] for b in (laptop, phone, here)]
        # when: here she logs out of all other devices
        response = await database_sync_to_async(here.post)(reverse("account_end_other_sessions"))
        assert response.status_code == 302
        codes = []
        for tab in (laptop_tab, phone_tab):
            output = await tab.receive_output(timeout=2)  # no event written: the action itself closes them
            assert output["type"] == "websocket.close", output
            codes.append(output["code"])
        event_id = await write_event(acme, request_id=601, stage="Decyzja")
        kept = await receive_event(this_tab)
        await close(laptop_tab, phone_tab, this_tab)  # the relay ends once every socket is gone
        return codes, event_id, kept

    codes, event_id, kept = run(scenario)

    # then: both other tabs were closed as at a logout; this tab still receives the company's events
    assert codes == [CLOSE_SESSION_ENDED, CLOSE_SESSION_ENDED]
    assert kept["id"] == event_id
