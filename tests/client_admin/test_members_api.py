"""The client administrator's user API: invite, change, suspend, resume, remove; audited; one admin stays."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from backend.accounts.activation import activation_token_generator
from backend.accounts.models import User
from backend.clients.members import MemberAudit
from backend.clients.models import ClientMembership
from backend.core.models import AuditLog
from tests.factories import ContractFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(api: APIClient, **overrides):
    body = {
        "email": "Nowa.Osoba@Acme.pl",
        "first_name": "Nowa",
        "last_name": "Osoba",
        "role": "fleet_manager",
        "contract_ids": [],
        "all_contracts": False,
        **overrides,
    }
    return api.post("/api/client/users/", body, format="json")


def test_admin_invites_a_fleet_manager_who_gets_the_activation_link(
    admin_api, acme, django_capture_on_commit_callbacks
):
    # given
    contract = ContractFactory(client=acme)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(admin_api, contract_ids=[contract.pk])

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "nowa.osoba@acme.pl"
    assert body["role"] == "fleet_manager"
    assert body["contracts"] == [{"id": contract.pk, "number": contract.number}]
    assert body["activated"] is False
    user = User.objects.get(email="nowa.osoba@acme.pl")
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["nowa.osoba@acme.pl"]]
    link = next(word for word in mail.outbox[0].body.split() if "/activate/" in word)
    uidb64, token = link.rstrip("/").split("/")[-2:]
    assert activation_token_generator.check_token(user, token)  # the welcome e-mail's own link (7 days)
    assert acme.name in mail.outbox[0].subject
    audit = AuditLog.objects.get(action=MemberAudit.INVITED)
    assert audit.detail["client_id"] == acme.pk
    assert audit.detail["contract_ids"] == [contract.pk]


def test_a_limited_role_needs_contracts_and_only_own_ones(admin_api, acme, other_company):
    # given
    foreign = ContractFactory(client=other_company)

    # when
    without = invite(admin_api)
    with_foreign = invite(admin_api, contract_ids=[foreign.pk])

    # then: the error shape, next to the field
    assert without.status_code == 400
    assert set(without.json()) == {"code", "message", "fields"}
    assert "contract_ids" in without.json()["fields"]
    assert with_foreign.status_code == 400
    assert "contract_ids" in with_foreign.json()["fields"]
    assert not User.objects.filter(email="nowa.osoba@acme.pl").exists()


def test_an_existing_member_cannot_be_invited_twice(admin_api, client_user):
    response = invite(admin_api, email=client_user.email, role="owner")

    assert response.status_code == 400
    assert "email" in response.json()["fields"]


def test_change_suspend_resume_and_remove_are_audited_and_listed_in_the_history(admin_api, acme, client_user):
    # given
    membership = ClientMembership.objects.get(user=client_user, client=acme)
    contract = ContractFactory(client=acme)

    # when
    changed = admin_api.patch(
        f"/api/client/users/{membership.pk}/",
        {"role": "accountant", "contract_ids": [contract.pk], "grants": ["messages"]},
        format="json",
    )
    suspended = admin_api.post(f"/api/client/users/{membership.pk}/suspend/")
    resumed = admin_api.post(f"/api/client/users/{membership.pk}/resume/")
    removed = admin_api.delete(f"/api/client/users/{membership.pk}/")
    history = admin_api.get("/api/client/users/history/")

    # then
    assert changed.status_code == 200, changed.content
    assert changed.json()["role"] == "accountant"
    assert changed.json()["grants"] == ["messages"]
    assert suspended.json()["status"] == "suspended"
    assert resumed.json()["status"] == "active"
    assert removed.status_code == 204
    assert not ClientMembership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=client_user.pk).exists()  # the account and its audit rows stay
    actions = [row["action"] for row in history.json()["results"]]
    assert actions == [
        MemberAudit.REMOVED,
        MemberAudit.RESUMED,
        MemberAudit.SUSPENDED,
        MemberAudit.CHANGED,
    ]


def test_the_last_admin_cannot_be_demoted_or_removed(acme, admin_membership, admin_api):
    # given: a second admin who tries to remove the first, after the first demoted the second
    other = MembershipFactory(user=UserFactory(email="druga@acme.pl"), client=acme, is_admin=True)

    # when
    demote_other = admin_api.patch(f"/api/client/users/{other.pk}/", {"is_admin": False}, format="json")
    demote_self = admin_api.patch(
        f"/api/client/users/{admin_membership.pk}/", {"is_admin": False}, format="json"
    )
    remove_self = admin_api.delete(f"/api/client/users/{admin_membership.pk}/")

    # then
    assert demote_other.status_code == 200
    assert demote_self.status_code == 400
    assert "is_admin" in demote_self.json()["fields"]
    assert remove_self.status_code == 400
    admin_membership.refresh_from_db()
    assert admin_membership.is_admin


def test_a_non_admin_and_another_companys_admin_are_refused(acme, client_user, other_company):
    # given
    membership = ClientMembership.objects.get(user=client_user, client=acme)
    foreign_admin = MembershipFactory(
        user=UserFactory(email="szef@inna.pl"), client=other_company, is_admin=True
    )
    member_api, foreign_api = APIClient(), APIClient()
    member_api.force_login(client_user)
    foreign_api.force_login(foreign_admin.user)

    # when
    as_member = member_api.get("/api/client/users/")
    foreign_patch = foreign_api.patch(f"/api/client/users/{membership.pk}/", {"role": "owner"}, format="json")
    foreign_list = foreign_api.get("/api/client/users/")

    # then
    assert as_member.status_code == 403
    assert set(as_member.json()) == {"code", "message", "fields"}
    assert foreign_patch.status_code == 404
    assert client_user.email not in foreign_list.content.decode()


def test_a_suspended_user_cannot_act_for_the_company_in_an_open_session(acme, admin_api, client_user):
    # given: the user is logged in
    membership = ClientMembership.objects.get(user=client_user, client=acme)
    member_api = APIClient()
    member_api.force_login(client_user)
    assert member_api.get("/api/contracts/").status_code == 200

    # when
    admin_api.post(f"/api/client/users/{membership.pk}/suspend/")

    # then
    assert member_api.get("/api/contracts/").status_code == 403
    assert member_api.get("/").status_code == 403


def test_members_list_is_paginated(admin_api, acme):
    for number in range(30):
        MembershipFactory(user=UserFactory(email=f"osoba{number}@acme.pl"), client=acme)

    first = admin_api.get("/api/client/users/").json()

    assert first["count"] == 31
    assert len(first["results"]) == 25


def test_a_user_of_another_company_is_added_and_gets_the_login_link(
    admin_api, acme, other_client_user, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(admin_api, email=other_client_user.email, role="owner")

    # then: same account, a second company; no activation link for an activated account
    assert response.status_code == 201, response.content
    assert set(other_client_user.memberships.values_list("client__name", flat=True)) == {
        acme.name,
        "Inna Firma S.A.",
    }
    assert [m.to for m in mail.outbox] == [[other_client_user.email]]
    assert "/activate/" not in mail.outbox[0].body
    assert "/login/" in mail.outbox[0].body


def test_an_empty_name_in_an_invitation_reads_like_every_other_required_field(admin_api):
    # when: the administrator sends the invitation with the names left empty
    response = invite(admin_api, first_name="", last_name="")
    # then: the same words as a field left out, not rest_framework's "To pole nie może być puste."
    assert response.status_code == 400
    assert response.json()["fields"]["first_name"] == ["To pole jest wymagane."]
    assert response.json()["fields"]["last_name"] == ["To pole jest wymagane."]


def test_the_users_page_names_roles_for_women_and_men_alike(client, admin_membership, acme):
    # given: an accountant among the company's users
    MembershipFactory(user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role="accountant")
    client.force_login(admin_membership.user)
    # when
    html = client.get("/client/users/").content.decode()
    # then: the role names do not assume a man
    assert "Księgowy(-a)" in html and "Właściciel(-ka)" in html


def test_the_users_page_says_a_member_who_has_not_activated_is_waiting(client, admin_membership, acme):
    # An outside walk read "Aktywny / jeszcze nieaktywowane" for a pending colleague: one state, one word.
    waiting = UserFactory(email="nowa@acme.pl")
    waiting.set_unusable_password()
    waiting.save()
    MembershipFactory(user=waiting, client=acme, role="accountant")
    client.force_login(admin_membership.user)

    html = client.get("/client/users/").content.decode()

    row = html.split('data-email="nowa@acme.pl"')[1].split("</tr>")[0]
    status = row.split('data-testid="member-status">')[1].split("</td>")[0]
    assert status == "Oczekuje na aktywację"
