"""An open socket follows its session: closed at logout, moved when the session acts for another client."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.contrib.sessions.models import Session
from django.urls import reverse

from notifications import push
from notifications.consumers import CLOSE_CLIENT_CHANGED, CLOSE_SESSION_ENDED
from notifications.push import session_group
from tests.factories import MembershipFactory
from tests.notifications.sockets import (
    close,
    logged_in_browser,
    open_socket,
    receive_close_code,
    receive_event,
    run,
    write_event,
)

# Real commits: the relay and the session checks read from other threads.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_relay")]


@pytest.fixture
def partner(client_user, other_company):
    """Anna, acting for acme (her default) and also for the other company, like wspolnik@demo.pl."""
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    return client_user


def test_logout_closes_the_sessions_socket_and_no_event_arrives_after(client_user, acme):
    # given: Anna has the portal open in two browsers (two sessions), one socket each
    leaving = logged_in_browser(client_user)
    staying = logged_in_browser(client_user)

    async def scenario():
        left, _ = await open_socket(leaving)
        kept, _ = await open_socket(staying)
        # when: she logs out in another tab of the first browser
        await database_sync_to_async(leaving.post)(reverse("logout"))
        code = await receive_close_code(left)  # before any event is written: the logout itself closes it
        event_id = await write_event(acme, request_id=501, stage="Decyzja")
        kept_event = await receive_event(kept)
        left_silent = await left.receive_nothing(timeout=0.5)
        await close(left, kept)
        return code, event_id, kept_event, left_silent

    code, event_id, kept_event, left_silent = run(scenario)

    # then
    assert code == CLOSE_SESSION_ENDED
    assert left_silent is True
    assert kept_event["id"] == event_id  # the other session is not affected


def test_staff_logout_closes_the_staff_socket(bok_staff, second_staff, other_company):
    # given
    leaving = logged_in_browser(bok_staff)
    colleague = logged_in_browser(second_staff)

    async def scenario():
        left, _ = await open_socket(leaving)
        kept, _ = await open_socket(colleague)
        # when
        await database_sync_to_async(leaving.post)(reverse("logout"))
        code = await receive_close_code(left)
        event_id = await write_event(other_company, request_id=77)
        kept_event = await receive_event(kept)
        left_silent = await left.receive_nothing(timeout=0.5)
        await close(left, kept)
        return code, event_id, kept_event, left_silent

    code, event_id, kept_event, left_silent = run(scenario)

    # then
    assert code == CLOSE_SESSION_ENDED
    assert left_silent is True
    assert kept_event["id"] == event_id


def test_client_switch_moves_the_sessions_socket_to_the_new_client(partner, acme, other_company):
    # given: the same person in a second session keeps acting for acme
    switching = logged_in_browser(partner)
    other_session = logged_in_browser(partner)

    async def scenario():
        old, old_hello = await open_socket(switching)
        kept, _ = await open_socket(other_session)
        # when: she switches the first session to the other company
        await database_sync_to_async(switching.post)(
            reverse("switch-client"), {"client_id": other_company.pk, "next": "/"}
        )
        code = await receive_close_code(old)
        # the page's script reconnects with the same session cookie
        new, new_hello = await open_socket(switching)
        acme_id = await write_event(acme, request_id=1, stage="ACME")
        other_id = await write_event(other_company, request_id=2, stage="Inna")
        new_event = await receive_event(new)
        kept_event = await receive_event(kept)
        old_silent = await old.receive_nothing(timeout=0.5)
        new_rest = await new.receive_nothing(timeout=0.3)
        await close(old, new, kept)
        return old_hello, code, new_hello, acme_id, other_id, new_event, kept_event, old_silent, new_rest

    old_hello, code, new_hello, acme_id, other_id, new_event, kept_event, old_silent, new_rest = run(scenario)

    # then
    assert old_hello["client_id"] == acme.pk
    assert code == CLOSE_CLIENT_CHANGED
    assert new_hello["client_id"] == other_company.pk
    assert new_event["id"] == other_id  # acme's event, written first, never reached the new socket
    assert new_rest is True
    assert old_silent is True
    assert kept_event["id"] == acme_id  # the other session still acts for acme


def test_switching_to_the_same_client_keeps_the_socket(partner, acme):
    browser = logged_in_browser(partner)

    async def scenario():
        socket, _ = await open_socket(browser)
        await database_sync_to_async(browser.post)(reverse("switch-client"), {"client_id": acme.pk})
        event_id = await write_event(acme, request_id=3)
        event = await receive_event(socket)
        await close(socket)
        return event_id, event

    event_id, event = run(scenario)

    assert event["id"] == event_id


def test_old_clients_event_is_withheld_even_when_the_switch_notice_is_lost(
    partner, acme, other_company, monkeypatch
):
    # given: the notice to the session's sockets never arrives (say Redis dropped it)
    monkeypatch.setattr(push, "send_to_session_sockets", lambda session_key, message: None)
    browser = logged_in_browser(partner)

    async def scenario():
        socket, _ = await open_socket(browser)
        await database_sync_to_async(browser.post)(
            reverse("switch-client"), {"client_id": other_company.pk, "next": "/"}
        )
        # when: an event of the old client reaches the socket's groups
        await write_event(acme, request_id=4, stage="ACME")
        code = await receive_close_code(socket)
        silent = await socket.receive_nothing(timeout=0.3)
        await close(socket)
        return code, silent

    code, silent = run(scenario)

    # then: the consumer re-read the session, withheld the event and asked the page to reconnect
    assert code == CLOSE_CLIENT_CHANGED
    assert silent is True


def test_socket_of_a_session_ended_without_logout_gets_no_event(client_user, acme):
    # given: the session disappears without a logout signal (expired, flushed by another login)
    browser = logged_in_browser(client_user)
    session_key = browser.session.session_key

    async def scenario():
        socket, _ = await open_socket(browser)
        await database_sync_to_async(Session.objects.filter(session_key=session_key).delete)()
        # when
        await write_event(acme, request_id=5)
        code = await receive_close_code(socket)
        silent = await socket.receive_nothing(timeout=0.3)
        await close(socket)
        return code, silent

    code, silent = run(scenario)

    # then
    assert code == CLOSE_SESSION_ENDED
    assert silent is True


def test_socket_of_a_session_whose_password_changed_elsewhere_gets_no_event(client_user, acme):
    # given
    browser = logged_in_browser(client_user)

    @database_sync_to_async
    def change_password_elsewhere():
        client_user.set_password("Inne-haslo-2026!")
        client_user.save()

    async def scenario():
        socket, _ = await open_socket(browser)
        await change_password_elsewhere()
        # when
        await write_event(acme, request_id=6)
        code = await receive_close_code(socket)
        await close(socket)
        return code

    # then
    assert run(scenario) == CLOSE_SESSION_ENDED


def test_session_group_never_carries_the_raw_session_key():
    key = "k3y0fas3ss10nthatmustn0tleak1234"

    group = session_group(key)

    assert key not in group
    assert group == session_group(key)  # every process names it alike
    assert group != session_group(key[::-1])
    get_channel_layer().require_valid_group_name(group)  # raises if not
