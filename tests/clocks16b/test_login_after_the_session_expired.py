"""The login page a form's post lands on after the session expired: inactivity (SESSION_COOKIE_AGE) named
first, and no claim that the typed text is lost (the draft forms offer "Przywróć tekst" after logging in)."""

from __future__ import annotations

import html

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def note(client) -> str:
    page = html.unescape(client.get("/login/?next=/messages/new/").content.decode())
    start = page.index('data-testid="login-to-continue">')
    return page[start : page.index("</p>", start)]


def test_the_polish_note_names_inactivity_first_and_the_draft_forms(client):
    text = note(client)

    minutes = settings.SESSION_COOKIE_AGE // 60
    assert f"po {minutes} minutach bez aktywności albo po wylogowaniu w innej karcie" in text
    assert "po zalogowaniu zaproponuje przywrócenie tekstu" in text
    assert "to, czego nie wysłano, nie zostało zapisane" not in text


def test_the_english_note_says_the_same(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = note(client)

    assert (
        f"after {settings.SESSION_COOKIE_AGE // 60} minutes without activity, or because you logged out"
        in text
    )
    assert "offers to restore your text after you log in" in text
