"""Session lifetime: the sliding expiry and the absolute age of a logged-in session.

The active client is resolved by backend.clients.active.ActiveClientMiddleware (core imports no domain app).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url

from backend.core.exceptions import is_api_request
from backend.core.session_end import (
    SESSION_END_PARAM,
    SessionEnd,
    session_end_message,
    session_end_reason,
    with_session_end,
)

logger = logging.getLogger(__name__)

SESSION_REFRESHED_KEY = "_refreshed_at"
SESSION_LOGIN_AT_KEY = "_login_at"


def stamp_login_time(sender, request: HttpRequest | None = None, user=None, **kwargs) -> None:
    """user_logged_in receiver: remember when this session logged in (SESSION_ABSOLUTE_AGE counts from it)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_LOGIN_AT_KEY] = int(time.time())


def session_outlived(session) -> bool:
    """Return True when the session logged in SESSION_ABSOLUTE_AGE seconds ago or earlier."""
    login_at = session.get(SESSION_LOGIN_AT_KEY) if session is not None else None
    if login_at is None:
        return False
    return int(time.time()) - int(login_at) >= settings.SESSION_ABSOLUTE_AGE


def refresh_session(session) -> None:
    """Slide the session's expiry now: the changed session is saved, and saving sets its expiry."""
    session[SESSION_REFRESHED_KEY] = int(time.time())


def session_seconds_left(session) -> int:
    """Seconds of inactivity this logged-in session has left once the current request is answered.

    Exact: a session this request saves (changed, or due to slide: SlidingSessionMiddleware slides it at
    most every SESSION_REFRESH_INTERVAL) ends SESSION_COOKIE_AGE from now; one it leaves as it was ends
    when its row says, which a write since the last slide may have moved later than that slide put it.
    """
    now = time.time()
    since_refresh = now - int(session.get(SESSION_REFRESHED_KEY, 0))
    if session.modified or since_refresh >= settings.SESSION_REFRESH_INTERVAL:
        return settings.SESSION_COOKIE_AGE
    expiry = getattr(session, "read_expiry", None)
    if expiry is None:  # a store that does not tell: the slide's end, the earliest it can be
        return max(0, int(settings.SESSION_COOKIE_AGE - since_refresh))
    return max(0, int(expiry.timestamp() - now))


def session_absolute_end(session) -> datetime | None:
    """When the logged-in session ends however active it is (SESSION_ABSOLUTE_AGE after its login)."""
    login_at = session.get(SESSION_LOGIN_AT_KEY) if session is not None else None
    if login_at is None:
        return None
    return datetime.fromtimestamp(int(login_at) + settings.SESSION_ABSOLUTE_AGE, tz=UTC)


def _tell_login_page_why(request: HttpRequest, response: HttpResponse) -> None:
    """A page redirected to the login page because the browser's session has ended: say why there."""
    if response.status_code not in (301, 302, 303) or is_api_request(request):
        return
    location = response.get("Location", "")
    if urlsplit(location).path != resolve_url(settings.LOGIN_URL) or f"{SESSION_END_PARAM}=" in location:
        return
    reason = session_end_reason(request)
    if reason is not None:
        response["Location"] = with_session_end(location, reason)


def _session_expired_response(request: HttpRequest) -> HttpResponse:
    """Log the outlived session out; an API call gets 401 in the error shape, a page the login page, whose
    note says the session lasts SESSION_ABSOLUTE_AGE at most."""
    from django.contrib.auth import logout
    from django.contrib.auth.views import redirect_to_login
    from django.utils import translation

    from backend.core.language import choose_language

    language = choose_language(request)  # before logout: the user's saved language
    user_id = request.user.pk
    logout(request)  # flushes the session; user_logged_out audits it and closes the session's sockets
    logger.info("Session of user %s ended: older than SESSION_ABSOLUTE_AGE", user_id)
    if is_api_request(request):
        with translation.override(language):
            message = session_end_message(SessionEnd.ABSOLUTE)
        response = JsonResponse({"code": "session_expired", "message": message, "fields": {}}, status=401)
        response["WWW-Authenticate"] = "Session"  # a 401 names its scheme; no browser prompt for it
        return response
    response = redirect_to_login(request.get_full_path())
    response["Location"] = with_session_end(response["Location"], SessionEnd.ABSOLUTE)
    # The login page speaks the language the user worked in, as after a logout (accounts.middleware).
    set_language_cookie(response, language)
    return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """Keep the user's language in the browser for pages after the session (the login page)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SlidingSessionMiddleware:
    """Slide a logged-in session's expiry at most once a minute instead of writing it on every request.

    SESSION_SAVE_EVERY_REQUEST would turn every read into a database write; with SQLite that queues all
    page views behind the single writer. Besides the sliding expiry, a session ends SESSION_ABSOLUTE_AGE
    after its login however active it is (a stolen or forgotten session does not live for ever).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        was_in = user is not None and user.is_authenticated
        if session is not None and was_in:
            if session.get(SESSION_LOGIN_AT_KEY) is None:
                # Logged in before the login time was recorded: its absolute lifetime starts now.
                session[SESSION_LOGIN_AT_KEY] = int(time.time())
            elif session_outlived(session):
                return _session_expired_response(request)
        response = self.get_response(request)
        if not was_in:  # a session this request ended itself (a logout) says so on its own
            _tell_login_page_why(request, response)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated and session.session_key:
            now = int(time.time())
            if now - int(session.get(SESSION_REFRESHED_KEY, 0)) >= settings.SESSION_REFRESH_INTERVAL:
                refresh_session(session)
        return response
