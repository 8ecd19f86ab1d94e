"""The inactivity warning's "Stay logged in" (WCAG 2.2.1): POST /session/renew/ slides the session's expiry
and answers 204; it needs the session (a bare 401, never the login page, so the page's script can say the
session ended), a POST and the CSRF token. Every logged-in page carries the warning's settings."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from backend.core.middleware import SESSION_REFRESHED_KEY
from tests.logged_in_clients import browsing_with_csrf_checks_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client_user) -> Client:
    return browsing_with_csrf_checks_as(client_user)


def _expiry_soon(browser: Client) -> Session:
    """The session as 100 s before its end, refreshed just now (so no request would slide it by itself)."""
    session = browser.session
    session[SESSION_REFRESHED_KEY] = int(time.time())
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=100)
    )
    return Session.objects.get(session_key=session.session_key)


def test_stay_logged_in_moves_the_end_of_the_session(browser, settings):
    row = _expiry_soon(browser)

    response = browser.post("/session/renew/", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)

    assert response.status_code == 204
    row.refresh_from_db()
    assert row.expire_date >= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_without_the_csrf_token_nothing_is_renewed(browser):
    row = _expiry_soon(browser)
    before = row.expire_date

    response = browser.post("/session/renew/")

    assert response.status_code == 403
    row.refresh_from_db()
    assert row.expire_date == before


def test_a_get_renews_nothing(browser):
    row = _expiry_soon(browser)
    before = row.expire_date

    response = browser.get("/session/renew/")

    assert response.status_code == 302  # post_only_pages: an address that only takes a form
    row.refresh_from_db()
    assert row.expire_date == before


def test_an_ended_session_is_a_bare_401_not_the_login_page():
    anonymous = Client()

    response = anonymous.post("/session/renew/")

    assert response.status_code == 401
    assert not response.content and "Location" not in response


def test_a_logged_in_page_carries_the_warning_in_the_users_language(browser, settings):
    settings.SESSION_COOKIE_AGE = 1800
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 120

    page = browser.get("/messages/new/").content.decode()

    region = re.search(r'<div class="session-timeout" role="alert" data-session-timeout[^>]*>', page).group(0)
    assert 'data-idle-seconds="1800"' in region and 'data-warn-before="120"' in region
    assert 1740 <= int(re.search(r'data-seconds-left="(\d+)"', region).group(1)) <= 1800
    assert "Twoja sesja wygaśnie za około 2 minuty z powodu braku aktywności." in region
    assert 'data-text-stay="Nie wylogowuj mnie"' in region
    assert "session_timeout.js" in page
    assert "data-session-timeout" not in Client().get("/login/").content.decode()
