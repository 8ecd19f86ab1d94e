"""Pick the interface language: Polish for everyone unless the user chose English, and keep it across
logging in and out.

Django's LocaleMiddleware falls back to the browser's Accept-Language, so a browser sending `en-US`
would get English on first visit. The portal must open in Polish: the only inputs are the logged-in
user's saved `language`, then the language cookie (set by the PL/EN switch), then Polish.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from backend.core.language import choose_language, supported_language
from backend.core.middleware import set_language_cookie

__all__ = ["PortalLocaleMiddleware", "choose_language", "supported_language"]


class PortalLocaleMiddleware:
    """Activate the chosen language; when the switch sets the cookie, remember it on the user too.

    Saving the choice on the user lets e-mails sent later by workers use the same language.
    Must run after AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = choose_language(request)  # reads the user: `is_authenticated` below costs nothing more
        translation.activate(language)
        request.LANGUAGE_CODE = language
        user_before = getattr(request, "user", None)
        was_in = user_before is not None and user_before.is_authenticated
        response = self.get_response(request)
        self._remember_switch(request, response)
        self._keep_across_login(request, response, was_in=was_in, language=language)
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        patch_vary_headers(response, ["Cookie"])
        translation.deactivate()
        return response

    @staticmethod
    def _remember_switch(request: HttpRequest, response: HttpResponse) -> None:
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if cookie is None or user is None or not user.is_authenticated:
            return
        _save_language(user, cookie.value)

    @staticmethod
    def _keep_across_login(
        request: HttpRequest, response: HttpResponse, *, was_in: bool, language: str
    ) -> None:
        """The language stays what the person saw: one chosen on the login page is kept after the login
        (saved on the user), and the login page after a logout speaks the language the user worked in."""
        user = getattr(request, "user", None)
        now_in = user is not None and user.is_authenticated
        if not was_in and now_in:
            _save_language(user, request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        elif was_in and not now_in and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            set_language_cookie(response, language)


def _save_language(user, value: str | None) -> None:
    """Remember a supported language on the user (e-mails sent later by workers use it too)."""
    chosen = supported_language(value)
    if chosen and chosen != user.language:
        user.language = chosen
        user.save(update_fields=["language"])
