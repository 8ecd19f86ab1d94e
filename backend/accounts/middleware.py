"""Pick the interface language: Polish for everyone unless the user chose English.

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

__all__ = ["PortalLocaleMiddleware", "choose_language", "supported_language"]


class PortalLocaleMiddleware:
    """Activate the chosen language; when the switch sets the cookie, remember it on the user too.

    Saving the choice on the user lets e-mails sent later by workers use the same language.
    Must run after AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = choose_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        self._remember_switch(request, response)
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
        chosen = supported_language(cookie.value)
        if chosen and chosen != user.language:
            user.language = chosen
            user.save(update_fields=["language"])
