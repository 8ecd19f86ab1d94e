"""The lock-out page and its JSON answer say which limit refused the login (backend/accounts/lockout.py):
this account from this address, every account from this address (another's guessing on a shared network,
not a sign the account is compromised), or this account from everywhere (ended by a password reset)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

STRANGER, OWNER = "198.51.100.66", "203.0.113.10"
JSON = {"HTTP_ACCEPT": "application/json"}


def login(address: str, email: str, password: str = PASSWORD, browser: Client | None = None, **headers):
    browser = browser or Client()
    return browser.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def _lock_the_pair(email: str) -> None:
    for _ in range(5):
        login(STRANGER, email, "zle-haslo")


def _lock_the_address() -> None:
    for n in range(20):  # one password tried on many names
        login(STRANGER, f"user{n}@acme.pl", "Lato2026!")


def _lock_the_account(email: str) -> None:
    for n in range(32):  # 4 an address: never an address's own lock
        login(f"192.0.2.{n // 4 + 1}", email, "zle-haslo")


def test_the_account_locked_from_this_address_says_so_and_offers_the_reset(client_user):
    # given
    _lock_the_pair(client_user.email)

    # when
    response = login(STRANGER, client_user.email)

    # then
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    body = response.content.decode()
    assert 'data-lock-scope="pair"' in body
    assert "Konto tymczasowo zablokowane w tej sieci" in body
    assert "Z innych adresów można się na nie logować jak zwykle." in body
    assert reverse("password_reset") in body


def test_an_address_wide_block_says_it_is_the_network_not_the_account(client_user):
    # given another person's password spraying from the same (office) address
    _lock_the_address()

    # when the owner logs in from that address
    response = login(STRANGER, client_user.email)

    # then the page names the network, says the account is not locked, and offers no reset (it would not help)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    body = response.content.decode()
    assert 'data-lock-scope="address"' in body
    assert "Logowanie z Twojej sieci tymczasowo wstrzymane" in body
    assert "dotyczy to także innych kont" in body
    assert "Twoje konto nie jest zablokowane" in body
    assert "Konto tymczasowo zablokowane" not in body
    assert reverse("password_reset") not in body


def test_an_account_locked_everywhere_says_a_password_reset_ends_it(client_user):
    # given guessing spread over many addresses
    _lock_the_account(client_user.email)

    # when the owner logs in from an address of their own
    response = login(OWNER, client_user.email)

    # then
    assert response.status_code == 429
    assert "Retry-After" not in response  # waiting does not end it while the attempts go on
    body = response.content.decode()
    assert 'data-lock-scope="account"' in body
    assert "Konto zablokowane po nieudanych logowaniach" in body
    assert "zresetuj hasło (to od razu kończy blokadę)" in body
    assert reverse("password_reset") in body


@pytest.mark.parametrize(
    ("lock", "address", "code", "retry_after"),
    [
        ("pair", STRANGER, "login_locked", "900"),
        ("address", STRANGER, "address_locked", "900"),
        ("account", OWNER, "account_locked", None),
    ],
)
def test_an_api_client_gets_the_error_shape_naming_the_limit(client_user, lock, address, code, retry_after):
    # given
    {
        "pair": lambda: _lock_the_pair(client_user.email),
        "address": _lock_the_address,
        "account": lambda: _lock_the_account(client_user.email),
    }[lock]()

    # when
    response = login(address, client_user.email, **JSON)

    # then
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code and body["fields"] == {} and body["message"]
    assert response.get("Retry-After") == retry_after


def test_the_page_follows_the_language(client_user):
    _lock_the_address()
    browser = Client()
    browser.cookies["django_language"] = "en"

    body = login(STRANGER, client_user.email, browser=browser).content.decode()

    assert "Logins from your network temporarily refused" in body
    assert "Your account is not locked" in body
