"""Gaps an outside walk found in the ways in: a reset that skipped the activation code, a reset that did not
end the lock-out it was offered for, and an address that had to be typed in its stored case."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client as DjangoClient
from django.urls import reverse

from backend.accounts.activation import password_reset_url
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zielony-Parasol-2026"


def login(client, email: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_an_invited_user_gets_no_reset_link_and_an_old_one_sets_no_password(
    client, django_capture_on_commit_callbacks
):
    # given: invited, not activated yet (no usable password: the link AND the handed-over code set it)
    invited = UserFactory(email="zaproszona@acme.pl")
    invited.set_unusable_password()
    invited.save()

    # when: someone who reads the mailbox asks for a reset
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("password_reset"), {"email": "zaproszona@acme.pl"})

    # then: the same neutral answer, but no link is sent
    assert answer.status_code == 302
    assert mail.outbox == []
    # and a reset link made for the account anyway (e.g. before this rule) sets nothing
    page = client.get(path_of(password_reset_url(invited)), follow=True)
    assert 'id="link-invalid"' in page.content.decode()
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_a_new_password_from_a_reset_ends_the_lock_out(client_user, django_capture_on_commit_callbacks):
    browser = DjangoClient()
    for _ in range(5):
        login(browser, client_user.email, "zle-haslo")
    assert "Konto tymczasowo zablokowane" in login(browser, client_user.email).content.decode()

    # when: the reset the lock-out page offers is done
    reset = DjangoClient()
    form = reset.get(path_of(password_reset_url(client_user)), follow=True)
    reset.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # then: the new password logs in
    fresh = DjangoClient()
    login(fresh, client_user.email, NEW_PASSWORD)
    assert SESSION_KEY in fresh.session


def test_the_address_logs_in_whatever_its_case_and_failures_count_once(client_user):
    assert client_user.email == client_user.email.lower()
    upper = DjangoClient()
    login(upper, f"  {client_user.email.upper()} ")
    assert SESSION_KEY in upper.session

    # five failures spread over spellings of one address lock that one account
    attacker = DjangoClient()
    for spelling in (client_user.email, client_user.email.upper(), client_user.email.title()) * 2:
        login(attacker, spelling, "zle-haslo")
    locked = DjangoClient()
    assert "Konto tymczasowo zablokowane" in login(locked, client_user.email).content.decode()


def test_a_typed_logout_address_asks_instead_of_a_bare_405(client, client_user):
    client.force_login(client_user)
    page = client.get("/logout/")
    assert page.status_code == 200
    assert "Wylogować się z Portalu Klienta?" in page.content.decode()
    assert SESSION_KEY in client.session  # asking logs nobody out
    client.post("/logout/")
    assert SESSION_KEY not in client.session
    assert client.get("/logout/").status_code == 302  # logged out: on to the login page


def test_a_login_page_reached_from_a_page_says_why(client, client_user):
    """After a logout in another tab the next click lands here: it says the session ended."""
    client.force_login(client_user)
    client.post("/logout/")
    page = client.get(client.get("/messages/new/")["Location"]).content.decode()
    assert 'data-testid="login-to-continue"' in page
    assert 'data-testid="login-to-continue"' not in client.get("/login/").content.decode()
