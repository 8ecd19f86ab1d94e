"""PATCH /api/client/users/{id}/ changes only the fields sent; the rules apply to the access that results."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.clients.members import MemberAudit
from backend.clients.models import ClientMembership
from backend.core.models import AuditLog
from tests.factories import ContractFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountant(acme):
    """A second administrator: an accountant of one contract with the messages grant."""
    contract = ContractFactory(client=acme)
    membership = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"),
        client=acme,
        role=ClientMembership.Role.ACCOUNTANT,
        is_admin=True,
        all_contracts=False,
        grants=[ClientMembership.Grant.MESSAGES],
    )
    membership.contracts.set([contract])
    return membership


def patch(api: APIClient, membership: ClientMembership, body: dict):
    return api.patch(f"/api/client/users/{membership.pk}/", body, format="json")


def test_an_empty_patch_changes_nothing(admin_api, accountant):
    # given
    contract_ids = [c.pk for c in accountant.contracts.all()]

    # when
    response = patch(admin_api, accountant, {})

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["role"] == "accountant"
    assert body["is_admin"] is True
    assert body["all_contracts"] is False
    assert [c["id"] for c in body["contracts"]] == contract_ids
    assert body["grants"] == ["messages"]
    assert not AuditLog.objects.filter(action=MemberAudit.CHANGED).exists()


def test_a_patch_of_one_field_keeps_the_others(admin_api, accountant):
    # when: the grants only, then the administrator flag only
    grants = patch(admin_api, accountant, {"grants": ["requests"]})
    demoted = patch(admin_api, accountant, {"is_admin": False})

    # then
    assert grants.status_code == 200, grants.content
    assert grants.json()["is_admin"] is True
    assert demoted.status_code == 200, demoted.content
    accountant.refresh_from_db()
    assert accountant.role == ClientMembership.Role.ACCOUNTANT
    assert accountant.is_admin is False
    assert accountant.grants == ["requests"]
    assert accountant.contracts.count() == 1


def test_the_rules_apply_to_the_merged_access(admin_api, acme, admin_membership):
    # given: an owner (all contracts)
    owner = MembershipFactory(user=UserFactory(email="wlasciciel@acme.pl"), client=acme)

    # when: limited to some contracts without naming any, then to a foreign contract
    no_contracts = patch(admin_api, owner, {"role": "fleet_manager", "all_contracts": False})
    role_kept_all = patch(admin_api, owner, {"role": "fleet_manager"})
    last_admin = patch(admin_api, admin_membership, {"is_admin": False})

    # then
    assert no_contracts.status_code == 400
    assert "contract_ids" in no_contracts.json()["fields"]
    assert role_kept_all.status_code == 200, role_kept_all.content
    assert role_kept_all.json()["all_contracts"] is True  # the owner's "all contracts" stays
    assert last_admin.status_code == 400
    assert "is_admin" in last_admin.json()["fields"]
    admin_membership.refresh_from_db()
    assert admin_membership.is_admin


def test_a_wrong_value_is_still_refused(admin_api, accountant):
    response = patch(admin_api, accountant, {"role": "boss"})

    assert response.status_code == 400
    assert "role" in response.json()["fields"]


def test_another_companys_contract_is_refused_even_where_it_would_not_be_used(admin_api, acme, other_company):
    # given: an owner (all contracts), and a contract of another company
    owner = MembershipFactory(user=UserFactory(email="wlasciciel@acme.pl"), client=acme)
    foreign = ContractFactory(client=other_company)

    # when
    response = patch(admin_api, owner, {"contract_ids": [foreign.pk]})

    # then
    assert response.status_code == 400
    assert "contract_ids" in response.json()["fields"]


def test_extra_rights_are_kept_only_for_an_accountant(admin_api, accountant):
    # An outside walk: unticking "Requests" for a fleet manager was saved and changed nothing (the role
    # has them); the form keeps extra rights for the role they add to, and says so.
    made_fleet_manager = patch(admin_api, accountant, {"role": "fleet_manager", "grants": ["requests"]})

    assert made_fleet_manager.status_code == 200, made_fleet_manager.content
    assert made_fleet_manager.json()["grants"] == []
    accountant.refresh_from_db()
    assert accountant.grants == []


def test_an_administrator_removing_their_own_right_on_the_page_is_asked_first(client, acme, admin_membership):
    # given: a second administrator, so the last-administrator rule does not apply
    MembershipFactory(user=UserFactory(email="drugi@acme.pl"), client=acme, is_admin=True)
    client.force_login(admin_membership.user)
    page = f"/client/users/{admin_membership.pk}/"
    form = {"role": "owner", "all_contracts": "on"}  # the administrator box left unticked

    # when
    asked = client.post(page, form)
    admin_membership.refresh_from_db()
    still_admin = admin_membership.is_admin
    confirmed = client.post(page, {**form, "confirm_own_demotion": "on"})

    # then: the first post changes nothing and says why at the field, the confirmed one saves
    assert asked.status_code == 400
    assert still_admin is True
    html = asked.content.decode()
    assert "Odbierasz uprawnienie administratora samemu sobie" in html
    assert 'name="confirm_own_demotion"' in html
    assert confirmed.status_code == 302 and confirmed["Location"] == "/"
    admin_membership.refresh_from_db()
    assert admin_membership.is_admin is False


def test_the_history_says_what_a_change_of_access_changed(client, admin_api, accountant, admin_membership):
    # An outside walk read "zmiana roli lub umów (Właściciel(-ka))" for making someone an administrator.
    patch(admin_api, accountant, {"role": "owner", "all_contracts": True})
    client.force_login(admin_membership.user)

    html = client.get("/client/users/").content.decode()

    history = html.split('data-testid="member-history"')[1]
    assert "rola: Księgowy(-a) → Właściciel(-ka); zmiana umów; zmiana dodatkowych uprawnień" in history
