"""While a session the bank's hand-off opened is signed in, the header offers the way back to online banking
(bank_return_url) on every page; a password session never does, nor a bank session with no bank to go to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.sso.services import link_bank_customer
from tests.sso.test_bank_handoff import post_assertion

pytestmark = pytest.mark.django_db

BACK_TO_BANK = "Wróć do bankowości internetowej"


@pytest.fixture
def bank_session(client, client_user, acme_contract, sign, settings):
    settings.BANK_SSO_RETURN_URL = "https://bank.example/konto/"
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    post_assertion(client, sign(contract=acme_contract.number))
    assert client.session["_auth_user_id"] == str(client_user.pk)
    return client


def header(client, path: str) -> str:
    html = client.get(path).content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


@pytest.mark.parametrize("path", ["/", "/messages/", "/account/"])
def test_a_bank_session_offers_the_way_back_in_the_header(bank_session, path):
    link = f'<a class="header-link" href="https://bank.example/konto/" id="header-back-to-bank">{BACK_TO_BANK}</a>'

    assert link in header(bank_session, path)


def test_in_english_too(bank_session, client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    assert ">Back to online banking</a>" in header(bank_session, reverse("home"))


def test_the_demo_bank_when_no_bank_is_configured(bank_session, settings):
    settings.BANK_SSO_RETURN_URL = ""
    settings.BANK_SIMULATOR_ENABLED = True

    assert f'href="{reverse("bank_simulator_loans")}" id="header-back-to-bank"' in header(bank_session, "/")


def test_no_link_when_there_is_no_bank_to_go_back_to(bank_session, settings):
    settings.BANK_SSO_RETURN_URL = ""
    settings.BANK_SIMULATOR_ENABLED = False

    assert "header-back-to-bank" not in header(bank_session, "/")


def test_a_password_session_has_no_way_back_to_the_bank(client, client_user, settings):
    settings.BANK_SSO_RETURN_URL = "https://bank.example/konto/"
    client.force_login(client_user)

    page = header(client, "/")

    assert "header-back-to-bank" not in page and BACK_TO_BANK not in page
