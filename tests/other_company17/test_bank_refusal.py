"""A refused bank hand-off tells a logged-in user they still are, and offers the way back to the bank."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.sso.services import link_bank_customer
from backend.sso.simulator import sign_assertion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_bank(settings, tmp_path):
    settings.BANK_SSO_ENABLED = True
    settings.BANK_SIMULATOR_ENABLED = True
    settings.BANK_SIMULATOR_KEY_DIR = tmp_path
    settings.BANK_SSO_PUBLIC_KEY_FILE = ""
    settings.BANK_SSO_RETURN_URL = ""


def hand_off(browser: PageClient, contract_number: str):
    """The demo bank's POST, then (if accepted so far) the browser's GET of the continue page."""
    token = sign_assertion(bank_customer_id="BANK-0001", contract_number=contract_number)
    response = browser.post(reverse("sso_bank"), {"assertion": token})
    if response.status_code == 303:
        return browser.get(response["Location"])
    return response


def test_a_logged_in_user_refused_by_the_hand_off_is_told_he_is_still_logged_in(
    demo_bank, client_user, other_contract
):
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    browser = PageClient()
    browser.force_login(client_user)

    # when: the bank hands over a contract of a company he is not in
    page = hand_off(browser, other_contract.number)

    # then
    body = page.content.decode()
    assert page.status_code == 403
    assert 'data-reason="foreign_contract"' in body
    assert "Nie zostałeś zalogowany" not in body
    assert f"Nadal jesteś zalogowany(-a) jako {client_user.email}" in body
    assert f'href="{reverse("home")}"' in body
    assert "Wróć do bankowości internetowej" in body
    assert f'href="{reverse("bank_simulator_loans")}"' in body  # back to the (demo) bank
    assert browser.get(reverse("home")).status_code == 200  # and he is


def test_an_anonymous_visitor_still_gets_the_login_link_and_the_configured_bank(
    demo_bank, settings, client_user, other_contract
):
    settings.BANK_SSO_RETURN_URL = "https://bank.example/loans"
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    browser = PageClient()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # when
    page = hand_off(browser, other_contract.number)

    # then
    body = page.content.decode()
    assert "You have not been logged in" in body
    assert f'href="{reverse("login")}"' in body
    assert 'href="https://bank.example/loans"' in body
