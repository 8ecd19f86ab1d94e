"""The bank's hand-off address opened directly (a bookmark, a typed address), not posted by the bank."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("pl", "Logowanie przez bank działa tylko z bankowości internetowej Twojego banku"),
        ("en", "Logging in through the bank works only from your bank&#x27;s online banking"),
    ],
)
def test_opening_the_hand_off_address_says_where_the_bank_login_starts(client, settings, lang, note):
    # given: the bank's page a customer goes back to is configured
    settings.BANK_SSO_RETURN_URL = "https://bank.example/online"
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    # when
    response = client.get(reverse("sso_bank"), follow=True)
    # then: the login form, what to do, and the way back to the bank; not "that address only sends a form"
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("login")
    assert note in html and 'name="password"' in html
    assert 'href="https://bank.example/online" id="back-to-bank"' in html
    assert "Pod tym adresem można tylko wysłać formularz" not in html
    assert "That address only sends a form" not in html
