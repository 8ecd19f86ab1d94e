"""Client memberships in the Django admin are changed only through the membership services: the admin's
pages show them read-only (no way around "one active administrator stays" or the audit), and a company's
new user is added by the same invitation as the company's administrator sends, audited."""

from __future__ import annotations

import pytest

from backend.clients.members import MemberAudit
from backend.clients.models import ClientMembership
from backend.core.models import AuditLog
from tests.admin17.conftest import user_form
from tests.factories import ClientFactory, ContractFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MEMBERSHIPS = "/admin/clients/clientmembership/"


@pytest.fixture
def two_admins():
    company = ClientFactory()
    return [MembershipFactory(client=company, is_admin=True) for _n in range(2)]


def test_a_membership_page_is_read_only_and_names_where_it_is_changed(browser, two_admins):
    first = two_admins[0]

    page = browser.get(f"{MEMBERSHIPS}{first.pk}/change/").content.decode()
    # the administrator unticks "Administrator klienta" of both administrators of the company
    answers = [
        browser.post(f"{MEMBERSHIPS}{membership.pk}/change/", {"role": "owner", "status": "active"})
        for membership in two_admins
    ]
    deletes = [
        browser.post(f"{MEMBERSHIPS}{membership.pk}/delete/", {"post": "yes"}) for membership in two_admins
    ]

    assert 'name="is_admin"' not in page and 'name="_save"' not in page
    assert "/staff/client-users/?q=" in page  # customer service's page of this user
    assert [answer.status_code for answer in answers + deletes] == [403, 403, 403, 403]
    assert ClientMembership.objects.filter(client=first.client, is_admin=True, status="active").count() == 2


def test_the_user_page_lists_memberships_read_only(browser, two_admins):
    member = two_admins[0].user

    page = browser.get(f"/admin/accounts/user/{member.pk}/change/").content.decode()
    form = user_form(browser, member, **{"memberships-0-id": str(two_admins[0].pk)})
    # a tampered post of the inline's fields is ignored
    form.update({"memberships-0-client": str(two_admins[0].client_id), "memberships-0-role": "accountant"})
    response = browser.post(f"/admin/accounts/user/{member.pk}/change/", form)

    assert 'name="memberships-0-is_admin"' not in page and 'name="memberships-0-DELETE"' not in page
    assert response.status_code == 302
    two_admins[0].refresh_from_db()
    assert (two_admins[0].role, two_admins[0].is_admin) == ("owner", True)


def test_a_new_user_of_a_client_is_added_by_the_invitation_and_audited(
    browser, admin, django_capture_on_commit_callbacks
):
    company = ClientFactory()
    contract = ContractFactory(client=company)
    form = {
        "client": str(company.pk),
        "email": "Pierwszy.Admin@Firma.pl",
        "first_name": "Anna",
        "last_name": "Nowak",
        "role": "accountant",  # extra rights add to an accountant's role only (clients/members.py)
        "is_admin": "on",
        "contracts": [str(contract.pk)],
        "grants": ["messages"],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"{MEMBERSHIPS}add/", form)

    membership = ClientMembership.objects.get(client=company)
    assert (membership.user.email, membership.is_admin, membership.grants) == (
        "pierwszy.admin@firma.pl",
        True,
        ["messages"],
    )
    assert list(membership.contracts.all()) == [contract]
    page = response.content.decode()
    assert response.status_code == 200 and "Kody aktywacyjne" in page  # the one-time code, shown once
    entry = AuditLog.objects.get(action=MemberAudit.INVITED)
    assert entry.user == admin and entry.detail["client_id"] == company.pk


def test_adding_with_another_companys_contract_is_refused_next_to_the_field(browser):
    company, other = ClientFactory(), ClientFactory()
    foreign = ContractFactory(client=other)

    response = browser.post(
        f"{MEMBERSHIPS}add/",
        {
            "client": str(company.pk),
            "email": "nowy@firma.pl",
            "first_name": "Jan",
            "last_name": "Kowalski",
            "role": "accountant",
            "contracts": [str(foreign.pk)],
        },
    )

    assert response.status_code == 200
    assert "Wybierz umowy swojej firmy." in response.content.decode()
    assert not ClientMembership.objects.filter(client=company).exists()
    assert not AuditLog.objects.filter(action=MemberAudit.INVITED).exists()


def test_the_client_page_links_to_adding_its_user(browser):
    company = ClientFactory()
    MembershipFactory(client=company, user=UserFactory(), is_admin=True)

    page = browser.get(f"/admin/clients/client/{company.pk}/change/").content.decode()

    assert f"{MEMBERSHIPS}add/?client={company.pk}" in page
    assert 'name="memberships-0-is_admin"' not in page
