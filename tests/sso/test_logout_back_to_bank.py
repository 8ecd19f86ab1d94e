"""After logging out the login page says so; a session that came by the bank's hand-off is offered the way
back to online banking (the refused hand-off page's address)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.sso.services import link_bank_customer
from tests.sso.test_bank_handoff import post_assertion

pytestmark = pytest.mark.django_db

BACK_TO_BANK = "Wróć do bankowości internetowej"


@pytest.fixture
def linked_user(client_user):
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    return client_user


def _log_out(client) -> str:
    """POST /logout/ and follow to the login page; its HTML."""
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    return response.content.decode()


def test_a_password_logout_says_logged_out_without_the_bank_link(client, client_user):
    # given
    client.force_login(client_user)

    # when
    page = _log_out(client)

    # then
    assert "Wylogowano." in page
    assert BACK_TO_BANK not in page
    # and it is said once: the next visit of the login page is plain
    assert "Wylogowano." not in client.get(reverse("login")).content.decode()


def test_a_bank_session_logout_offers_the_configured_way_back(
    client, linked_user, acme_contract, sign, settings
):
    # given
    settings.BANK_SSO_RETURN_URL = "https://bank.example/konto/"
    post_assertion(client, sign(contract=acme_contract.number))
    assert client.session["_auth_user_id"] == str(linked_user.pk)

    # when
    page = _log_out(client)

    # then
    assert "Wylogowano." in page
    assert f'<a href="https://bank.example/konto/" id="back-to-bank">{BACK_TO_BANK}</a>' in page
    assert "_auth_user_id" not in client.session


def test_a_bank_session_logout_leads_back_to_the_demo_bank(
    client, linked_user, acme_contract, sign, settings
):
    # given: no bank address configured, the demo bank on
    settings.BANK_SSO_RETURN_URL = ""
    settings.BANK_SIMULATOR_ENABLED = True
    post_assertion(client, sign(contract=acme_contract.number))

    # when
    page = _log_out(client)

    # then
    assert f'<a href="{reverse("bank_simulator_loans")}" id="back-to-bank">{BACK_TO_BANK}</a>' in page


def test_no_bank_link_when_there_is_no_bank_to_go_back_to(client, linked_user, acme_contract, sign, settings):
    # given
    settings.BANK_SSO_RETURN_URL = ""
    post_assertion(client, sign(contract=acme_contract.number))
    settings.BANK_SIMULATOR_ENABLED = False

    # when
    page = _log_out(client)

    # then
    assert "Wylogowano." in page
    assert BACK_TO_BANK not in page
