"""Roles per contract: owner, fleet manager and accountant across APIs, pages, nav, e-mails and pushes."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from backend.clients.access_rules import Area, can, visible_contract_ids
from backend.clients.models import ClientMembership
from backend.core.models import OutboxEvent
from backend.documents.models import Document
from notifications.consumers import membership_may_receive
from notifications.recipients import recipients_for
from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import api_client_as
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracts(acme):
    return ContractFactory(client=acme, number="UL/2026/000111"), ContractFactory(
        client=acme, number="UL/2026/000222"
    )


def member(acme, email: str, role: str, *contracts, grants=()) -> ClientMembership:
    membership = MembershipFactory(
        user=UserFactory(email=email),
        client=acme,
        role=role,
        all_contracts=not contracts,
        grants=list(grants),
    )
    membership.contracts.set(contracts)
    return membership


@pytest.fixture
def fleet(acme, contracts):
    return member(acme, "flota@acme.pl", ClientMembership.Role.FLEET_MANAGER, contracts[0])


@pytest.fixture
def accountant(acme, contracts):
    return member(acme, "ksiegowa@acme.pl", ClientMembership.Role.ACCOUNTANT, contracts[0])


def test_rules_per_role():
    owner = ClientMembership(role="owner")
    fleet = ClientMembership(role="fleet_manager", all_contracts=False)
    accountant = ClientMembership(role="accountant", grants=["messages"])
    suspended = ClientMembership(role="owner", status="suspended", is_admin=True)

    assert can(owner, Area.INVOICES, write=True) and can(owner, Area.REQUESTS, write=True)
    assert not can(owner, Area.USERS)
    assert can(fleet, Area.REQUESTS, write=True) and can(fleet, Area.DOCUMENTS)
    assert not can(fleet, Area.INVOICES) and not can(fleet, Area.EXPORTS)
    assert can(accountant, Area.INVOICES) and can(accountant, Area.EXPORTS)
    assert not can(accountant, Area.INVOICES, write=True)
    assert not can(accountant, Area.REQUESTS)
    assert can(accountant, Area.MESSAGES)  # granted
    assert not can(suspended, Area.CONTRACTS) and not can(suspended, Area.USERS)
    assert visible_contract_ids(owner) is None
    assert visible_contract_ids(suspended) == frozenset()


def test_fleet_manager_sees_requests_and_documents_of_own_contracts_only(acme, contracts, fleet, client_user):
    # given: the owner submits a request on each contract; a document on each contract
    owner_api = APIClient()
    owner_api.force_login(client_user)
    ids = []
    for contract in contracts:
        body = submission(
            "schedule_change", contract=contract, data={"months": 48, "installment_option": "auto"}
        )
        response = owner_api.post("/api/requests/", body, format="json")
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    docs = [
        Document.objects.create(
            client=acme,
            contract=c,
            kind="balance_confirmation",
            title=c.number,
            size=1,
            issued_on=date(2026, 3, 1),
        )
        for c in contracts
    ]
    api = api_client_as(fleet.user)

    # when
    listed = {row["id"] for row in api.get("/api/requests/").json()["results"]}
    other = api.get(f"/api/requests/{ids[1]}/")
    documents = {row["id"] for row in api.get("/api/documents/").json()["results"]}
    contract_rows = {row["id"] for row in api.get("/api/contracts/").json()["results"]}
    invoices = api.get("/api/invoices/")
    foreign_submit = api.post(
        "/api/requests/",
        submission(
            "schedule_change", contract=contracts[1], data={"months": 48, "installment_option": "auto"}
        ),
        format="json",
    )

    # then
    assert listed == {ids[0]}
    assert other.status_code == 404
    assert documents == {docs[0].pk}
    assert contract_rows == {contracts[0].pk}
    assert invoices.status_code == 403
    assert foreign_submit.status_code == 400
    assert "contract_id" in foreign_submit.json()["fields"]


def test_accountant_reads_invoices_of_own_contracts_and_cannot_submit(acme, contracts, accountant):
    # given
    own = InvoiceFactory(client=acme, contract=contracts[0])
    other = InvoiceFactory(client=acme, contract=contracts[1])
    api = api_client_as(accountant.user)

    # when
    listed = {row["id"] for row in api.get("/api/invoices/").json()["results"]}
    foreign = api.get(f"/api/invoices/{other.pk}/")
    duplicate = api.post(f"/api/invoices/{own.pk}/duplicates/", {}, format="json")
    requests = api.get("/api/requests/")
    threads = api.get("/api/messages/")
    zip_answer = api.post("/api/invoices/accounting-zip/", {}, format="json")

    # then
    assert listed == {own.pk}
    assert foreign.status_code == 404
    assert duplicate.status_code == 403  # read-only
    assert requests.status_code == 403
    assert threads.status_code == 403  # no messages unless granted
    assert zip_answer.status_code != 403


def test_pages_and_nav_follow_the_role(client, accountant, fleet):
    # when: the accountant opens the portal
    client.force_login(accountant.user)
    home = client.get("/")
    requests_page = client.get("/requests/")

    # then
    assert home.status_code == 200
    nav = home.content.decode()
    assert 'href="/invoices/"' in nav
    assert 'href="/requests/"' not in nav and 'href="/client/users/"' not in nav
    assert requests_page.status_code == 403

    # when: the fleet manager opens the home page, which is invoices and settlements
    client.force_login(fleet.user)
    start = client.get("/")
    invoices_page = client.get("/invoices/")

    # then
    assert start.status_code == 302 and start["Location"] == "/requests/"
    assert invoices_page.status_code == 403


def test_emails_and_notices_of_a_request_reach_only_members_covering_its_contract(
    acme, contracts, client_user, django_capture_on_commit_callbacks
):
    # given
    covering = member(acme, "flota1@acme.pl", ClientMembership.Role.FLEET_MANAGER, contracts[0])
    elsewhere = member(acme, "flota2@acme.pl", ClientMembership.Role.FLEET_MANAGER, contracts[1])
    accountant = member(acme, "ksiegowa@acme.pl", ClientMembership.Role.ACCOUNTANT)
    owner_api = APIClient()
    owner_api.force_login(client_user)
    body = submission(
        "schedule_change", contract=contracts[0], data={"months": 48, "installment_option": "auto"}
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_api.post("/api/requests/", body, format="json")
    assert response.status_code == 201
    events = OutboxEvent.objects.filter(client=acme, subject_id=response.json()["id"])
    assert events

    # when
    reached = {r.user.pk for event in events for r in recipients_for(event=event) if r.user is not None}

    # then
    assert covering.user.pk in reached
    assert client_user.pk not in reached  # the owner submitted it: no notice of their own action
    assert elsewhere.user.pk not in reached
    assert accountant.user.pk not in reached


def test_pushed_events_follow_role_and_contracts(acme, contracts, client_user, fleet, accountant):
    # given: a request on the other contract and one on the fleet manager's
    owner_api = APIClient()
    owner_api.force_login(client_user)
    ids = []
    for contract in contracts:
        body = submission(
            "schedule_change", contract=contract, data={"months": 48, "installment_option": "auto"}
        )
        ids.append(owner_api.post("/api/requests/", body, format="json").json()["id"])

    def event(request_id: int) -> dict:
        return {"id": 1, "kind": "request.stage_changed", "client_id": acme.pk, "request_id": request_id}

    # then
    assert membership_may_receive(fleet, event(ids[0])) is True
    assert membership_may_receive(fleet, event(ids[1])) is False
    assert membership_may_receive(accountant, event(ids[0])) is False
    suspended = ClientMembership.objects.get(pk=fleet.pk)
    suspended.status = ClientMembership.Status.SUSPENDED
    assert membership_may_receive(suspended, event(ids[0])) is False


def test_an_open_socket_of_a_suspended_member_loses_its_client(client, acme, client_user):
    # given: a logged-in browser session acting for ACME
    from notifications.consumers import read_state_for_event

    client.force_login(client_user)
    assert client.get("/api/contracts/").status_code == 200
    key = client.session.session_key
    event = {"id": 7, "kind": "request.stage_changed", "client_id": acme.pk, "request_id": 1}
    before, covered = read_state_for_event(session_key=key, user_id=client_user.pk, event=event)
    assert (before.valid, before.client_id, covered) == (True, acme.pk, True)

    # when
    ClientMembership.objects.filter(user=client_user, client=acme).update(status="suspended")

    # then: the next event finds no client for the session, so the consumer closes the socket (4409)
    after, _covered = read_state_for_event(session_key=key, user_id=client_user.pk, event=event)
    assert after.valid is True and after.client_id is None
