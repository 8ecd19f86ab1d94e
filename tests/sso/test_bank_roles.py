"""The bank's hand-off and the demo bank's contract list follow the membership: role, contract set, status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.clients.models import ClientMembership
from backend.sso.services import link_bank_customer
from tests.factories import ContractFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracts(acme):
    return ContractFactory(client=acme, number="UL/2026/100001"), ContractFactory(
        client=acme, number="UL/2026/100002"
    )


@pytest.fixture
def fleet(acme, contracts) -> ClientMembership:
    membership = MembershipFactory(
        user=UserFactory(email="flota@acme.pl"), client=acme, role="fleet_manager", all_contracts=False
    )
    membership.contracts.set([contracts[0]])
    link_bank_customer(bank_customer_id="BANK-0001", user=membership.user)
    return membership


def post_assertion(client, token: str):
    """The bank's POST and, when it is accepted, the browser's GET of the portal's page it leads to."""
    response = client.post(reverse("sso_bank"), {"assertion": token})
    if response.status_code == 303 and response["Location"] == reverse("sso_bank_continue"):
        return client.get(response["Location"])
    return response


def test_the_demo_bank_lists_only_the_contracts_of_the_users_set(client, fleet, contracts, bank_keys):
    client.post(reverse("bank_simulator_login"), {"customer_id": "BANK-0001", "password": "x"})

    loans = client.get(reverse("bank_simulator_loans")).content.decode()

    assert contracts[0].number in loans
    assert contracts[1].number not in loans


def test_a_contract_outside_the_users_set_is_refused(client, fleet, contracts, sign):
    response = post_assertion(client, sign(contract=contracts[1].number))

    assert response.status_code == 403
    assert 'data-reason="foreign_contract"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_contract_of_the_users_set_opens(client, fleet, contracts, sign):
    response = post_assertion(client, sign(contract=contracts[0].number))

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(fleet.user_id)


def test_a_suspended_membership_opens_nothing(client, fleet, contracts, sign, bank_keys):
    # given
    ClientMembership.objects.filter(pk=fleet.pk).update(status=ClientMembership.Status.SUSPENDED)

    # when
    response = post_assertion(client, sign(contract=contracts[0].number))
    client.post(reverse("bank_simulator_login"), {"customer_id": "BANK-0001", "password": "x"})
    loans = client.get(reverse("bank_simulator_loans")).content.decode()

    # then
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert contracts[0].number not in loans
