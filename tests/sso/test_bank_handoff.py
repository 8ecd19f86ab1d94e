from __future__ import annotations

import pytest
from django.urls import reverse

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from backend.core.models import AuditLog
from backend.sso.models import UsedAssertion
from backend.sso.services import link_bank_customer
from tests.factories import ClientFactory, ContractFactory, MembershipFactory


@pytest.fixture
def linked_user(client_user):
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    return client_user


def post_assertion(client, token: str):
    """The bank's POST and, when it is accepted, the browser's GET of the portal's page it leads to."""
    response = client.post(reverse("sso_bank"), {"assertion": token})
    if response.status_code == 303 and response["Location"] == reverse("sso_bank_continue"):
        return client.get(response["Location"])
    return response


def test_handoff_logs_in_sets_the_client_and_opens_the_contract(client, linked_user, acme_contract, sign):
    # given: the user acts for two companies, the contract is of the non-default one
    second_company = ClientFactory()
    MembershipFactory(user=linked_user, client=second_company, is_default=False)
    contract = ContractFactory(client=second_company)

    # when
    response = post_assertion(client, sign(contract=contract.number))

    # then
    assert response.status_code == 302
    assert response["Location"].endswith(f"/contracts/{contract.pk}/")
    assert client.session["_auth_user_id"] == str(linked_user.pk)
    assert client.session[ACTIVE_CLIENT_SESSION_KEY] == second_company.pk
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert contract.number in page.content.decode()
    handoff = AuditLog.objects.get(action="sso_handoff")
    assert handoff.user == linked_user
    assert handoff.detail["contract"] == contract.number
    assert handoff.ip_address == "127.0.0.1"
    assert AuditLog.objects.filter(action="login", user=linked_user, detail__method="bank_sso").exists()


def test_handoff_needs_no_csrf_token(linked_user, acme_contract, sign):
    from django.test import Client

    # given
    browser = Client(enforce_csrf_checks=True)

    # when
    response = post_assertion(browser, sign(contract=acme_contract.number))

    # then
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("reason", "claims"),
    [
        ("wrong_audience", {"aud": "some-other-service"}),
        ("wrong_issuer", {"iss": "evil-bank"}),
        ("expired", {"issued_ago": 300, "lifetime": 60}),
        ("lifetime_too_long", {"lifetime": 3600}),
        ("unknown_customer", {"sub": "BANK-9999"}),
        ("malformed", {"jti": None}),
    ],
)
def test_bad_assertions_are_rejected_with_a_clear_page_and_an_audit_entry(
    client, linked_user, acme_contract, sign, reason, claims
):
    # given
    token = sign(contract=acme_contract.number, **claims)

    # when
    response = post_assertion(client, token)

    # then
    assert response.status_code in {400, 403}
    body = response.content.decode()
    assert f'data-reason="{reason}"' in body
    assert "Logowanie z bankowości internetowej nie powiodło się" in body
    assert "_auth_user_id" not in client.session
    entry = AuditLog.objects.get(action="sso_rejected")
    assert entry.success is False
    assert entry.detail["reason"] == reason


def test_assertion_signed_with_another_key_is_rejected(client, linked_user, acme_contract, sign, foreign_key):
    # when
    response = post_assertion(client, sign(contract=acme_contract.number, key=foreign_key))

    # then
    assert response.status_code == 403
    assert 'data-reason="bad_signature"' in response.content.decode()
    assert AuditLog.objects.get(action="sso_rejected").detail["reason"] == "bad_signature"
    assert "_auth_user_id" not in client.session


def test_replayed_assertion_is_rejected(client, linked_user, acme_contract, sign):
    # given
    token = sign(contract=acme_contract.number)
    assert post_assertion(client, token).status_code == 302
    client.logout()

    # when
    response = post_assertion(client, token)

    # then
    assert response.status_code == 403
    assert 'data-reason="replayed"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert UsedAssertion.objects.count() == 1


def test_contract_of_another_client_is_rejected(client, linked_user, other_contract, sign):
    # when
    response = post_assertion(client, sign(contract=other_contract.number))

    # then
    assert response.status_code == 403
    assert 'data-reason="foreign_contract"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditLog.objects.get(action="sso_rejected")
    assert entry.detail["contract"] == other_contract.number


def test_rejection_page_speaks_english_too(client, linked_user, other_contract, sign):
    # given
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # when
    response = client.post(reverse("sso_bank"), {"assertion": sign(contract=other_contract.number)})

    # then
    assert "This contract does not belong to any company you act for" in response.content.decode()


def test_bank_simulator_hands_off_end_to_end(client, linked_user, acme_contract, bank_keys):
    # given: the customer logs in to the bank and sees the contract in "Loans and leasing"
    client.post(reverse("bank_simulator_login"), {"customer_id": "BANK-0001", "password": "x"})
    loans = client.get(reverse("bank_simulator_loans"))
    assert "Kredyty i leasing" in loans.content.decode()
    assert acme_contract.number in loans.content.decode()

    # when: the button signs an assertion that the page's form posts to the portal
    handoff_page = client.post(reverse("bank_simulator_handoff"), {"contract": acme_contract.number})
    token = handoff_page.context["assertion"]
    assert 'action="/sso/bank/"' in handoff_page.content.decode()
    response = post_assertion(client, token)

    # then
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.session["_auth_user_id"] == str(linked_user.pk)


def test_simulator_creates_a_demo_key_pair_when_none_exists(settings, tmp_path, db):
    import jwt

    from backend.sso.simulator import sign_assertion

    # given
    settings.BANK_SIMULATOR_ENABLED = True
    settings.BANK_SIMULATOR_KEY_DIR = tmp_path / "keys"
    settings.BANK_SSO_PUBLIC_KEY_FILE = ""

    # when
    token = sign_assertion(bank_customer_id="BANK-0001", contract_number="UL/1")

    # then
    public = (tmp_path / "keys" / "public.pem").read_bytes()
    claims = jwt.decode(token, public, algorithms=["ES256"], audience=settings.BANK_SSO_AUDIENCE)
    assert claims["exp"] - claims["iat"] <= 120
