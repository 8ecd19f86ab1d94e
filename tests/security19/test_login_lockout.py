"""Failed logins stop guessing without letting a stranger lock the owner out (backend/accounts/lockout.py):
- 5 wrong passwords of a name from one address lock that name from that address only;
- 20 failures from one address, whatever the names, refuse every login from it (password spraying);
- 30 failures of one name from any addresses lock the account everywhere, until a password reset."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from backend.accounts.audit import AuditAction
from backend.accounts.models import User
from backend.core.models import AuditLog
from tests.accounts.test_login_and_reset_gaps import NEW_PASSWORD, path_of
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRANGER, OWNER = "198.51.100.66", "203.0.113.10"


def login(address: str, email: str, password: str = PASSWORD, browser: Client | None = None):
    browser = browser or Client()
    return browser.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def test_a_stranger_locks_the_name_from_the_strangers_address_only(client_user):
    for _ in range(6):
        login(STRANGER, client_user.email, "zle-haslo")
    # the stranger is stopped, even with the right password
    assert login(STRANGER, client_user.email).status_code == 429
    # the owner, elsewhere, is not: repeatably, however often the stranger tries
    owner = Client()
    assert login(OWNER, client_user.email, browser=owner).status_code == 302
    assert SESSION_KEY in owner.session


def test_a_colleague_behind_the_same_address_is_not_locked_by_someone_elses_typos(client_user, acme):
    colleague = UserFactory(email="kolega@acme.pl")
    colleague.memberships.create(client=acme)
    for _ in range(5):
        login(STRANGER, client_user.email, "zle-haslo")
    assert login(STRANGER, colleague.email).status_code == 302


def test_password_spraying_from_one_address_is_stopped(client_user):
    answers = [login(STRANGER, f"user{n}@acme.pl", "Lato2026!").status_code for n in range(60)]

    assert 429 in answers
    assert answers.index(429) < 25
    # every account from that address, the right password too; other addresses are not affected
    assert login(STRANGER, client_user.email).status_code == 429
    assert login(OWNER, client_user.email).status_code == 302
    locked = AuditLog.objects.filter(action=AuditAction.ACCOUNT_LOCKED).first()
    assert locked.detail["scope"] == "address"


def test_guessing_spread_over_addresses_locks_the_account_until_a_password_reset(client_user):
    for n in range(32):  # 4 a address: never an address's own lock
        login(f"192.0.2.{n // 4 + 1}", client_user.email, "zle-haslo")

    assert login(OWNER, client_user.email).status_code == 429
    assert AuditLog.objects.filter(action=AuditAction.ACCOUNT_LOCKED).last().detail["scope"] == "account"

    # the owner's password reset ends it
    reset = Client()
    from backend.accounts.activation import password_reset_url

    form = reset.get(path_of(password_reset_url(User.objects.get(pk=client_user.pk))), follow=True)
    reset.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert login(OWNER, client_user.email, NEW_PASSWORD).status_code == 302
