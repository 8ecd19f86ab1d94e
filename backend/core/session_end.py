"""Why the session a browser or an API client still holds a cookie of has ended: the login page's note
(`?ended=`) and the API's `401 session_expired` read it from here."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.utils.translation import gettext as _

# The login page's query parameter saying why the session the browser had has ended (its note says so).
SESSION_END_PARAM = "ended"
# Kept in the anonymous session a logout leaves the browser: its other tabs, loading their page again at
# the logout (live_socket.js), land on the login page saying their session was ended, while a browser that
# never had a session (a bookmarked page opened fresh) is told nothing of one. A login drops it.
LOGGED_OUT_KEY = "_portal_logged_out"


class SessionEnd(StrEnum):
    IDLE = "idle"  # SESSION_COOKIE_AGE without a request
    ABSOLUTE = "absolute"  # SESSION_ABSOLUTE_AGE after its login
    ENDED = "ended"  # ended by someone: a logout elsewhere, a password change, the account switched off
    LOGGED_OUT = "logged_out"  # this browser logged out (in this tab or another): LOGGED_OUT_KEY


def session_end_reason(request: HttpRequest) -> SessionEnd | None:
    """Why the session this request's cookie named has ended: its row had expired (idle), was gone or was
    flushed by the password check (ended), its user may no longer log in (ended), or the browser logged
    out (logged_out: `LOGGED_OUT_KEY`). None when the request brought no session cookie, or its session lives
    (a user's, or one without a user yet: the password given, the code not yet)."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME) or session is None or user is None:
        return None
    if user.is_authenticated:
        return None
    session.keys()  # loads it: an unknown or expired key leaves no session key (accounts.session_store)
    if session.session_key is None:
        return SessionEnd.IDLE if getattr(session, "found_expired", False) else SessionEnd.ENDED
    if LOGGED_OUT_KEY in session:
        return SessionEnd.LOGGED_OUT
    return SessionEnd.ENDED if SESSION_KEY in session else None


def session_end_message(reason: SessionEnd) -> str:
    """The API's 401 `session_expired` in words: why, as the login page's note says it (a logout in this
    browser was told "your session has expired")."""
    if reason == SessionEnd.IDLE:
        return _("Your session ended after a time without activity. Please log in again.")
    if reason == SessionEnd.LOGGED_OUT:
        return _("You logged out of the portal in this browser. Please log in again.")
    if reason == SessionEnd.ENDED:
        return _(
            "Your session was ended: you logged out in another window or on another device, changed your "
            "password, or the account was switched off. Please log in again."
        )
    return _("Your session has expired. Please log in again.")


def with_session_end(location: str, reason: SessionEnd) -> str:
    """The login page's address `location` with the reason the session ended."""
    parts = urlsplit(location)
    query = "&".join(filter(None, [parts.query, urlencode({SESSION_END_PARAM: reason.value})]))
    return urlunsplit(parts._replace(query=query))
