"""The login page a form's post lands on after the session expired: inactivity (SESSION_COOKIE_AGE) named
first, and no claim that the typed text is lost (the draft forms offer "Przywróć tekst" after logging in)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def note(client) -> str:
    """The note of the login page a form's post leads to once the browser's session expired idle."""
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    location = client.get("/messages/new/")["Location"]
    page = html.unescape(client.get(location).content.decode())
    start = page.index('data-testid="login-to-continue"')
    return page[start : page.index("</p>", start)]


def test_the_polish_note_names_inactivity_first_and_the_draft_forms(client, client_user):
    client.force_login(client_user)

    text = note(client)

    minutes = settings.SESSION_COOKIE_AGE // 60
    assert f"Sesja zakończyła się po {minutes} minutach bez aktywności." in text
    assert "po zalogowaniu zaproponuje przywrócenie tekstu" in text
    assert "to, czego nie wysłano, nie zostało zapisane" not in text


def test_the_english_note_says_the_same(client, client_user):
    client.force_login(client_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = note(client)

    assert f"Your session ended after {settings.SESSION_COOKIE_AGE // 60} minutes without activity." in text
    assert "offers to restore your text after you log in" in text
