"""A session ends SESSION_ABSOLUTE_AGE (12 h) after its login, however active it has been."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from backend.core.middleware import SESSION_LOGIN_AT_KEY
from backend.core.models import AuditLog
from notifications.consumers import CLOSE_NOT_ALLOWED
from tests.notifications.sockets import browser_headers, communicator_for, logged_in_browser, run

EXPIRED = "Sesja wygasła. Zaloguj się ponownie."


@pytest.fixture(autouse=True)
def _long_sliding_expiry(settings):
    # Only the absolute limit is under test: the 30-minute sliding expiry must not end the session first.
    settings.SESSION_COOKIE_AGE = 3 * 24 * 3600


def log_in(client, user, password) -> None:
    response = client.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.django_db
def test_a_page_after_twelve_hours_logs_out_and_says_why(client, client_user, password):
    # given
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        log_in(client, client_user, password)

        # when: still active after 11 h 59 min
        traveller.shift(timedelta(hours=11, minutes=59))
        before = client.get(reverse("home"))

        # when: past 12 h
        traveller.shift(timedelta(minutes=2))
        after = client.get(reverse("home"))
        login_page = client.get(after["Location"])
        again = client.get(reverse("home"))

    # then
    assert before.status_code == 200
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("login"))
    # the login page's note says why (its `ended` reason), once: no second "expired" box beside it
    assert after["Location"].endswith("&ended=absolute")
    assert "Sesja zakończyła się 12 godzin po zalogowaniu" in login_page.content.decode()
    assert EXPIRED not in login_page.content.decode()
    assert SESSION_KEY not in client.session
    assert again.status_code == 302  # the session is gone, not just refused once
    assert AuditLog.objects.filter(action="logout", user=client_user).exists()


@pytest.mark.django_db
def test_an_api_call_after_twelve_hours_gets_401_in_the_error_shape(client_user, password):
    from rest_framework.test import APIClient

    api = APIClient()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        log_in(api, client_user, password)
        assert api.get("/api/notices/unread-count/").status_code == 200

        # when
        traveller.shift(timedelta(hours=12, seconds=1))
        response = api.get("/api/notices/unread-count/")
        after = api.get("/api/notices/unread-count/")

    # then
    assert response.status_code == 401
    assert response.json() == {"code": "session_expired", "message": EXPIRED, "fields": {}}
    assert after.status_code == 401  # anonymous from now on
    assert after.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_the_limit_is_configurable(client, client_user, password, settings):
    # given
    settings.SESSION_ABSOLUTE_AGE = 3600
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        log_in(client, client_user, password)

        # when
        traveller.shift(timedelta(minutes=61))
        response = client.get(reverse("home"))

    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_session_from_before_the_rule_gets_twelve_hours_from_its_next_request(client, client_user):
    # given: a session logged in without the login time (as before this release)
    client.force_login(client_user)
    session = client.session
    del session[SESSION_LOGIN_AT_KEY]
    session.save()

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # when
        first = client.get(reverse("home"))
        traveller.shift(timedelta(hours=11))
        within = client.get(reverse("home"))
        traveller.shift(timedelta(hours=1, seconds=1))
        past = client.get(reverse("home"))

    # then
    assert (first.status_code, within.status_code) == (200, 200)
    assert past.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_an_outlived_session_cannot_open_a_socket(client_user, settings):
    # given: a session whose login is older than the limit
    settings.LIVE_PUSH_POLL_SECONDS = 0.05
    browser = logged_in_browser(client_user)
    session = browser.session
    session[SESSION_LOGIN_AT_KEY] = int(time.time()) - 12 * 3600 - 5
    session.save()
    headers = browser_headers(browser)

    async def scenario():
        communicator = communicator_for(headers)
        return await communicator.connect()

    # when
    connected, code = run(scenario)

    # then
    assert connected is False
    assert code == CLOSE_NOT_ALLOWED


@pytest.mark.django_db
def test_an_open_socket_of_an_outlived_session_is_told_its_session_ended(client_user):
    from notifications.consumers import read_session_state

    # given
    browser = logged_in_browser(client_user)
    session = browser.session
    assert read_session_state(session_key=session.session_key, user_id=client_user.pk).valid is True

    # when: its login grows older than the limit
    session[SESSION_LOGIN_AT_KEY] = int(time.time()) - 12 * 3600 - 5
    session.save()

    # then: the next event's check closes the socket (4401), as after a logout
    assert read_session_state(session_key=session.session_key, user_id=client_user.pk).valid is False
