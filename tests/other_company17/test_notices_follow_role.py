"""The bell, /notices/ and the API list only the notices the user's current role and contracts cover."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient

from backend.clients.models import ClientMembership
from notifications.models import Notice
from tests.factories import ContractFactory
from tests.other_company17.helpers import make_request, request_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(client_user, acme) -> ClientMembership:
    return ClientMembership.objects.get(user=client_user, client=acme)


@pytest.fixture
def decided(client_user, acme) -> Notice:
    return request_notice(client_user, make_request(client=acme, user=client_user))


def test_an_accountant_no_longer_sees_his_earlier_request_notices(api_as, client_user, membership, decided):
    membership.role = ClientMembership.Role.ACCOUNTANT
    membership.save(update_fields=["role"])
    api = api_as(client_user)

    # when
    listed = api.get("/api/notices/")
    count = api.get("/api/notices/unread-count/")
    marked = api.post(f"/api/notices/{decided.pk}/read/")

    # then
    assert listed.json()["results"] == []
    assert count.json() == {"unread": 0}
    assert marked.status_code == 404


def test_the_notices_page_hides_them_too(client_user, membership, decided):
    page = PageClient()
    page.force_login(client_user)
    assert decided.payload["number"] in page.get("/notices/").content.decode()  # the owner sees it

    membership.role = ClientMembership.Role.ACCOUNTANT
    membership.save(update_fields=["role"])

    # when
    body = page.get("/notices/").content.decode()

    # then
    assert decided.payload["number"] not in body


def test_a_fleet_manager_sees_the_notices_of_his_contracts_and_the_companys(
    api_as, client_user, acme, membership
):
    mine, theirs = ContractFactory(client=acme), ContractFactory(client=acme)
    membership.role = ClientMembership.Role.FLEET_MANAGER
    membership.all_contracts = False
    membership.save(update_fields=["role", "all_contracts"])
    membership.contracts.set([mine])
    on_mine = request_notice(client_user, make_request(client=acme, user=client_user, contract=mine))
    on_theirs = request_notice(client_user, make_request(client=acme, user=client_user, contract=theirs))
    of_company = request_notice(client_user, make_request(client=acme, user=client_user))

    # when
    listed = api_as(client_user).get("/api/notices/")

    # then
    ids = {notice["id"] for notice in listed.json()["results"]}
    assert ids == {on_mine.pk, of_company.pk}
    assert on_theirs.pk not in ids
