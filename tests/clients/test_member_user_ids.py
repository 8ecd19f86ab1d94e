"""Who of a company hears about an event (access_rules.member_users): the users come with their
memberships, and the contracts of limited memberships are read only when there is one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.clients.access_rules import Area, member_users
from backend.clients.models import ClientMembership
from tests.factories import ContractFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def member_user_ids(**where) -> set[int]:
    return {user.pk for user in member_users(**where)}


def test_a_company_of_owners_is_answered_by_one_query(client_user, acme, acme_contract):
    partner = UserFactory(email="wspolnik@acme.pl")
    MembershipFactory(user=partner, client=acme)

    with CaptureQueriesContext(connection) as queries:
        ids = member_user_ids(client_id=acme.pk, area=Area.REQUESTS, contract_id=acme_contract.pk)

    assert ids == {client_user.pk, partner.pk}
    assert len(queries) == 1  # memberships and their users together


def test_a_fleet_manager_hears_only_of_the_contracts_given_to_them(client_user, acme):
    theirs, other = ContractFactory(client=acme), ContractFactory(client=acme)
    manager = UserFactory(email="flota@acme.pl")
    membership = MembershipFactory(
        user=manager, client=acme, role=ClientMembership.Role.FLEET_MANAGER, all_contracts=False
    )
    membership.contracts.set([theirs])

    with CaptureQueriesContext(connection) as queries:
        on_theirs = member_user_ids(client_id=acme.pk, area=Area.REQUESTS, contract_id=theirs.pk)
    on_other = member_user_ids(client_id=acme.pk, area=Area.REQUESTS, contract_id=other.pk)

    assert on_theirs == {client_user.pk, manager.pk}
    assert on_other == {client_user.pk}
    assert len(queries) == 2  # the memberships, then the limited one's contracts
