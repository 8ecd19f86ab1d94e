"""The login page a page sends an ended session to says why it ended, when the portal knows: after
SESSION_COOKIE_AGE without activity, SESSION_ABSOLUTE_AGE after the login, or ended by someone (a logout
elsewhere, a password change, the account switched off). The redirect carries it (`ended`)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGE = "/documents/"


@pytest.fixture
def browser(client, client_user):
    client.force_login(client_user)
    assert client.get(PAGE).status_code == 200  # the first page settles the session
    return client


def note(browser, location: str) -> tuple[str, str]:
    """The note of the login page `location` leads to: its reason attribute and its text."""
    page = html.unescape(browser.get(location).content.decode())
    start = page.index('data-testid="login-to-continue"')
    tag_end = page.index(">", start)
    reason = page[start:tag_end].partition('data-session-end="')[2].partition('"')[0]
    return reason, page[tag_end + 1 : page.index("</p>", tag_end)]


def ended_redirect(browser) -> str:
    response = browser.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={PAGE}")
    return response["Location"]


def test_an_idle_session_says_so_with_the_configured_minutes(browser, settings):
    # given: the session's row expired (no request for SESSION_COOKIE_AGE)
    settings.SESSION_COOKIE_AGE = 20 * 60
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    # when
    location = ended_redirect(browser)
    reason, text = note(browser, location)

    # then
    assert location.endswith("&ended=idle")
    assert reason == "idle"
    assert "Sesja zakończyła się po 20 minutach bez aktywności." in text
    assert "wylogowanie" not in text and "godzin" not in text
    assert "po zalogowaniu zaproponuje przywrócenie tekstu" in text


def test_the_absolute_end_says_so_with_the_configured_hours(client, client_user, password, settings):
    # given: a session logged in longer ago than SESSION_ABSOLUTE_AGE, active all the time
    settings.SESSION_COOKIE_AGE = 3 * 24 * 3600
    settings.SESSION_ABSOLUTE_AGE = 3 * 3600
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/login/", {"username": client_user.email, "password": password})
        assert client.get(PAGE).status_code == 200
        traveller.shift(timedelta(hours=3, seconds=1))

        # when
        location = ended_redirect(client)
        reason, text = note(client, location)

    # then: one note saying why, no second "session expired" box
    assert location.endswith("&ended=absolute")
    assert reason == "absolute"
    assert "Sesja zakończyła się 3 godziny po zalogowaniu: tyle najwyżej trwa sesja" in text
    assert "bez aktywności" not in text
    assert "Sesja wygasła. Zaloguj się ponownie." not in client.get(location).content.decode()


def _delete_session(browser, user) -> None:
    Session.objects.all().delete()  # "log out everywhere else" from another device, an admin's end


def _change_password(browser, user) -> None:
    user.set_password("Inne-haslo-2026!")
    user.save()


def _switch_off(browser, user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


@pytest.mark.parametrize("end", [_delete_session, _change_password, _switch_off])
def test_a_session_ended_by_someone_says_so(end, browser, client_user):
    # given
    end(browser, client_user)

    # when
    location = ended_redirect(browser)
    reason, text = note(browser, location)

    # then
    assert location.endswith("&ended=ended")
    assert reason == "ended"
    assert "Sesja została zakończona: nastąpiło wylogowanie w innym oknie lub na innym urządzeniu" in text
    assert "bez aktywności" not in text


def test_the_english_notes(client, settings):
    # given: the login page in English (the redirect's `ended` says why)
    browser = client
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    minutes = settings.SESSION_COOKIE_AGE // 60
    hours = round(settings.SESSION_ABSOLUTE_AGE / 3600)

    # when
    idle = note(browser, f"/login/?next={PAGE}&ended=idle")[1]
    absolute = note(browser, f"/login/?next={PAGE}&ended=absolute")[1]
    ended = note(browser, f"/login/?next={PAGE}&ended=ended")[1]

    # then
    assert f"Your session ended after {minutes} minutes without activity." in idle
    assert f"Your session ended {hours} hours after you logged in" in absolute
    assert "Your session was ended: you logged out in another window or on another device" in ended


def test_without_a_session_no_note_claims_one_ended(client):
    # given: no session cookie (a bookmarked page opened fresh), or a reason the portal does not give
    for location in (f"/login/?next={PAGE}", f"/login/?next={PAGE}&ended=bogus"):
        # when
        page = client.get(location).content.decode()

        # then: the plain login form
        assert 'data-testid="login-to-continue"' not in page
        assert "sesja" not in page.lower()


def test_a_live_session_is_not_told_it_ended(browser):
    # a redirect to the login page of a live session (none here) and an anonymous visit add nothing
    response = browser.get(PAGE)
    assert response.status_code == 200


def test_a_logout_of_this_session_gives_no_reason(browser):
    # when: the user logs out here, on to the login page (session_timeout.js's "Log in again now")
    response = browser.post("/logout/", {"next": f"/login/?next={PAGE}"})

    # then: the login page is not told the session "was ended" by someone
    assert response.status_code == 302
    assert "ended=" not in response["Location"]
