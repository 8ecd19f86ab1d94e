"""The WebSocket has no gate of its own: a session that still owes the second factor gets no socket."""

from __future__ import annotations

import pytest
from django.test import Client as BrowserClient

from tests.notifications.sockets import browser_headers, close, communicator_for, run
from tests.second_factor_helpers import enrol, force_login_unverified

pytestmark = pytest.mark.django_db(transaction=True)


def open_socket(headers):
    async def scenario():
        communicator = communicator_for(headers)
        connected, code = await communicator.connect()
        if connected:
            await close(communicator)
        return connected, code

    return run(scenario)


def test_staff_socket_needs_the_second_factor(bok_staff):
    # given: the same staff member, once without and once with the code
    enrol(bok_staff)
    owing = BrowserClient()
    force_login_unverified(owing, bok_staff)
    verified = BrowserClient()
    verified.force_login(bok_staff)

    # when / then
    assert open_socket(browser_headers(owing)) == (False, 4403)
    assert open_socket(browser_headers(verified))[0] is True


def test_a_plain_client_user_needs_no_second_factor(client_user, acme):
    browser = BrowserClient()
    force_login_unverified(browser, client_user)

    assert open_socket(browser_headers(browser))[0] is True
