"""A staff member moved to another role keeps no staff socket: the next event closes it (as an ended
session: the page loads again and shows what the role may see now) instead of delivering it."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from backend.accounts.models import User
from notifications.consumers import CLOSE_SESSION_ENDED
from tests.notifications.sockets import (
    close,
    logged_in_browser,
    open_socket,
    receive_close_code,
    receive_event,
    run,
    write_event,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_relay")]


def test_a_staff_member_whose_role_changed_gets_no_further_staff_event(bok_staff, other_company):
    # given a staff member's open socket
    browser = logged_in_browser(bok_staff)

    async def scenario():
        socket, _ = await open_socket(browser)
        # when an admin gives them a client role (the account stays active, the session valid)
        await database_sync_to_async(User.objects.filter(pk=bok_staff.pk).update)(role=User.Role.CLIENT)
        await write_event(other_company, request_id=91)
        code = await receive_close_code(socket)
        silent = await socket.receive_nothing(timeout=0.3)
        await close(socket)
        return code, silent

    code, silent = run(scenario)

    # then the event is not delivered and the socket is closed
    assert code == CLOSE_SESSION_ENDED
    assert silent is True


def test_a_staff_member_whose_role_stayed_keeps_receiving(bok_staff, other_company):
    browser = logged_in_browser(bok_staff)

    async def scenario():
        socket, _ = await open_socket(browser)
        event_id = await write_event(other_company, request_id=92)
        event = await receive_event(socket)
        await close(socket)
        return event_id, event

    event_id, event = run(scenario)
    assert event["id"] == event_id
