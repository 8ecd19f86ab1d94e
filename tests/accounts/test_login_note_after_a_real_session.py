"""The login page's "your session has ended" note only for a browser whose session really ended: a page
opened fresh (a bookmarked deep link, no session ever) shows the plain login form, while the tabs of a
browser that logged out (the tab that did so excepted) or whose session expired are told why."""

from __future__ import annotations

import html

import pytest

pytestmark = pytest.mark.django_db

PAGE = "/documents/"
NOTE = 'data-testid="login-to-continue"'


def login_page(client, location: str) -> str:
    return html.unescape(client.get(location).content.decode())


def test_a_deep_link_opened_fresh_shows_no_session_note(client):
    # given a browser that never had a session: the bookmarked page sends it to the login page
    response = client.get(PAGE)
    assert response.status_code == 302
    location = response["Location"]

    # when
    page = login_page(client, location)

    # then the login form, without a claim that a session ended
    assert location == f"/login/?next={PAGE}"
    assert NOTE not in page
    assert "Sesja" not in page and "sesja" not in page
    assert 'name="next" value="/documents/"' in page


def test_the_other_tabs_of_a_browser_that_logged_out_are_told_the_session_was_ended(client, client_user):
    # given a logged-in browser that logs out in one tab
    client.force_login(client_user)
    assert client.get(PAGE).status_code == 200
    client.post("/logout/")

    # when another tab loads its page again
    response = client.get(PAGE)
    page = login_page(client, response["Location"])

    # then its login page says this browser logged out (not "in another window": it may be this tab's own
    # Back, walker V)
    assert response["Location"] == f"/login/?next={PAGE}&ended=logged_out"
    assert NOTE in page
    assert "Wylogowano Cię z portalu w tej przeglądarce." in page
    assert "w innym oknie" not in page


def test_the_tab_that_logged_out_is_not_told_its_session_was_ended(client, client_user):
    # given a logged-in browser
    client.force_login(client_user)
    assert client.get(PAGE).status_code == 200

    # when it logs out here, on to the login page (session_timeout.js's "Log in again now")
    response = client.post("/logout/", {"next": f"/login/?next={PAGE}"})
    page = login_page(client, response["Location"])

    # then the login page says it logged out, not that someone ended the session
    assert NOTE not in page
    assert "Wylogowano." in page


def test_a_new_login_forgets_the_logout(client, client_user, password):
    # given a browser that logged out and logged in again
    client.force_login(client_user)
    client.post("/logout/")

    # when
    client.post("/login/", {"username": client_user.email, "password": password})

    assert client.get(PAGE).status_code == 200

    # then the session no longer holds the mark of the old logout
    assert "_portal_logged_out" not in client.session
