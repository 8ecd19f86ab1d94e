"""The client administrator's users page: after suspending, resuming, changing or removing a member listed
on page 2+ the page comes back on that same list page (and the member's row), not on page 1."""

from __future__ import annotations

import pytest

from backend.clients.models import ClientMembership
from portal_ui.client_lists import PAGE_SIZE
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_membership(acme):
    user = UserFactory(email="admin@acme.pl", first_name="Adam", last_name="Admin")
    return MembershipFactory(user=user, client=acme, is_admin=True, all_contracts=True)


@pytest.fixture
def crowd(acme, admin_membership):
    """A company of more users than one list page holds; the last by name ("Zz…") is on page 2."""
    for number in range(PAGE_SIZE):
        MembershipFactory(
            user=UserFactory(email=f"u{number:02}@acme.pl", first_name="Ola", last_name=f"Nowak{number:02}"),
            client=acme,
        )
    last = MembershipFactory(
        user=UserFactory(email="zenon@acme.pl", first_name="Zenon", last_name="Zzz"), client=acme
    )
    return last


def _logged_in(client, admin_membership):
    client.force_login(admin_membership.user)
    return client


def test_suspending_a_member_on_page_2_returns_to_page_2_at_the_row(client, admin_membership, crowd):
    response = _logged_in(client, admin_membership).post(f"/client/users/{crowd.pk}/suspend/")

    assert response.status_code == 302
    assert response["Location"] == f"/client/users/?page=2#member-{crowd.pk}"
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="member-{crowd.pk}"' in page  # the row is on the page the redirect opens


def test_resuming_a_member_on_page_2_returns_to_page_2(client, admin_membership, crowd):
    crowd.status = ClientMembership.Status.SUSPENDED
    crowd.save(update_fields=["status"])

    response = _logged_in(client, admin_membership).post(f"/client/users/{crowd.pk}/resume/")

    assert response["Location"] == f"/client/users/?page=2#member-{crowd.pk}"


def test_saving_a_member_on_page_2_returns_to_page_2(client, admin_membership, crowd):
    response = _logged_in(client, admin_membership).post(
        f"/client/users/{crowd.pk}/", {"role": "fleet_manager", "all_contracts": "on"}
    )

    assert response["Location"] == f"/client/users/?page=2#member-{crowd.pk}"


def test_a_member_on_page_1_keeps_the_plain_address(client, admin_membership, crowd, acme):
    first = ClientMembership.objects.get(client=acme, user__email="u00@acme.pl")  # "Nowak00": page 1

    response = _logged_in(client, admin_membership).post(f"/client/users/{first.pk}/suspend/")

    assert response["Location"] == f"/client/users/#member-{first.pk}"
