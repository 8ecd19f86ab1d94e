"""Which language a request is answered in: the user's saved choice, then the PL/EN cookie, then Polish.

The browser's Accept-Language is ignored on purpose (a portal opened from an English browser is Polish).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language

DEFAULT_LANGUAGE = "pl"


def supported_language(code: str | None) -> str | None:
    """Return `code` when it is one of settings.LANGUAGES, else None."""
    return code if code in dict(settings.LANGUAGES) else None


def choose_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = supported_language(getattr(user, "language", None))
        if chosen:
            return chosen
    return supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or DEFAULT_LANGUAGE


def language_for_recipient(request: HttpRequest, recipient_language: str | None) -> str:
    """The language of a page opened from an e-mail link without logging in (the reply link): the one
    the e-mail was written in, its recipient's, unless the visitor chose one with the PL/EN switch."""
    chosen = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    return chosen or supported_language(recipient_language) or choose_language(request)


def active_lang() -> str:
    """Return "en" when the active language is English, otherwise "pl" (the default)."""
    return "en" if (get_language() or "pl").startswith("en") else "pl"


def in_each_language(say: Callable[[str], str]) -> dict[str, str]:
    """{"pl": say("pl"), "en": say("en")}, each said under that language's translations: a label in both
    languages, or a history row stored in Polish with its English beside it (data["message_en"], which
    request_display.history_message shows to an English reader)."""
    texts = {}
    for lang in ("pl", "en"):
        with translation.override(lang):
            texts[lang] = say(lang)
    return texts


# Quotation marks as each language writes them: „Polish” and “English”.
QUOTES = {"pl": ("„", "”"), "en": ("“", "”")}


def quoted(text: str) -> str:
    """Return `text` in the active language's quotation marks (a name inside a sentence)."""
    opening, closing = QUOTES[active_lang()]
    return f"{opening}{text}{closing}"
