"""A request or thread tied to no contract is the company's: every member who sees all contracts has it, and
of the members limited to some contracts only the one who started it (an outside walk found a fleet manager
reading, and withdrawing, the owner's company-data change and insurance question)."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from backend.clients.access_rules import Area, may_act_on, object_visible
from backend.clients.models import ClientMembership
from backend.core.models import OutboxEvent
from backend.documents.models import Document
from backend.messaging.models import Message, MessageThread
from backend.requests_app.models import PortalRequest, RequestStatus
from backend.requests_app.reply_links import may_reply
from notifications.consumers import client_may_see_request, membership_may_receive
from notifications.recipients import recipients_for
from notifications.selectors import list_notices_for_user
from notifications.services import create_notifications
from tests.factories import ContractFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import api_client_as
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

OTHER_MATTER = {"subject": "Pytanie o polisę", "message": "Czy mogę zmienić ubezpieczyciela?"}


@pytest.fixture
def contract(acme):
    return ContractFactory(client=acme, number="UL/2026/000111")


def _member(acme, email: str, *contracts) -> ClientMembership:
    membership = MembershipFactory(
        user=UserFactory(email=email),
        client=acme,
        role=ClientMembership.Role.FLEET_MANAGER,
        all_contracts=not contracts,
    )
    membership.contracts.set(contracts)
    return membership


@pytest.fixture
def fleet(acme, contract):
    return _member(acme, "flota@acme.pl", contract)


def _other_matter(user) -> int:
    response = api_client_as(user).post(
        "/api/requests/", submission("other_request", data=OTHER_MATTER), format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _thread(user, contract) -> int:
    body = {"subject": "Polisa na kolejny rok", "category": "other", "body": "Prosimy o ofertę."}
    response = api_client_as(user).post("/api/messages/", {**body, "contract_id": contract.pk}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _company_wide_thread(acme, user) -> int:
    """A thread of no contract: a company without contracts yet, staff writing first, the demo's seed."""
    thread = MessageThread.objects.create(client=acme, subject="Polisa", category="other", created_by=user)
    Message.objects.create(thread=thread, author=user, body="Prosimy o ofertę.")
    return thread.pk


def test_the_rule():
    assert object_visible(None, contract_id=None, author_id=1, user_id=2)  # sees every contract
    assert object_visible(frozenset({5}), contract_id=5, author_id=1, user_id=2)
    assert not object_visible(frozenset({5}), contract_id=6, author_id=2, user_id=2)
    assert object_visible(frozenset({5}), contract_id=None, author_id=2, user_id=2)  # their own
    assert not object_visible(frozenset({5}), contract_id=None, author_id=1, user_id=2)  # the owner's
    assert not object_visible(frozenset({5}), contract_id=None, author_id=None, user_id=2)


def test_a_limited_member_neither_lists_nor_opens_nor_withdraws_the_owners_company_wide_request(
    client_user, fleet
):
    # given: the owner's other matter with no contract, and the fleet manager's own
    owners = _other_matter(client_user)
    own = _other_matter(fleet.user)
    api = api_client_as(fleet.user)

    # when
    listed = {row["id"] for row in api.get("/api/requests/").json()["results"]}
    opened = api.get(f"/api/requests/{owners}/")
    withdrawn = api.post(f"/api/requests/{owners}/cancel/", {}, format="json")

    # then
    assert listed == {own}
    assert opened.status_code == 404
    assert withdrawn.status_code == 404
    assert PortalRequest.objects.get(pk=owners).status != RequestStatus.CANCELLED
    assert api.get(f"/api/requests/{own}/").status_code == 200
    assert {row["id"] for row in api_client_as(client_user).get("/api/requests/").json()["results"]} == {
        owners,
        own,
    }


def test_a_limited_member_does_not_see_the_owners_company_wide_thread(acme, client_user, fleet, contract):
    owners = _company_wide_thread(acme, client_user)
    own = _thread(fleet.user, contract)
    api = api_client_as(fleet.user)

    listed = {row["id"] for row in api.get("/api/messages/").json()["results"]}

    assert listed == {own}
    assert api.get(f"/api/messages/{owners}/").status_code == 404
    assert (
        api.post(f"/api/messages/{owners}/comments/", {"body": "Też pytam"}, format="json").status_code == 404
    )
    assert api.get(f"/api/messages/{own}/").status_code == 200


def test_notices_e_mails_and_pushes_of_the_owners_company_wide_request_skip_limited_members(
    acme, client_user, fleet, django_capture_on_commit_callbacks
):
    # given
    unlimited = _member(acme, "flota-wszystko@acme.pl")  # a fleet manager of every contract
    with django_capture_on_commit_callbacks(execute=False):
        owners = _other_matter(client_user)
    events = list(OutboxEvent.objects.filter(client=acme, subject_id=owners))
    assert events

    # when
    reached = {r.user.pk for event in events for r in recipients_for(event=event) if r.user is not None}
    for event in events:
        create_notifications(event_id=event.pk)

    # then
    assert unlimited.user.pk in reached
    assert fleet.user.pk not in reached
    assert not list_notices_for_user(user=fleet.user, client=acme)
    assert not membership_may_receive(fleet, {"kind": "request.submitted", "request_id": owners})
    assert membership_may_receive(unlimited, {"kind": "request.submitted", "request_id": owners})
    assert not client_may_see_request(client_id=acme.pk, request_id=owners, membership=fleet)


def test_the_reply_link_rule_follows_the_same_rule(client_user, fleet):
    owners = PortalRequest.objects.get(pk=_other_matter(client_user))
    own = PortalRequest.objects.get(pk=_other_matter(fleet.user))

    assert not may_reply(fleet.user, owners)
    assert may_reply(fleet.user, own)
    assert may_reply(client_user, own)  # the owner sees every contract
    assert not may_act_on(fleet, Area.REQUESTS, None, write=True, author_id=client_user.pk)


def test_a_limited_member_does_not_list_decision_letters_of_company_wide_requests(acme, contract, fleet):
    letters = [
        Document.objects.create(
            client=acme, contract=c, kind="decision", title="Decyzja", size=1, issued_on=date(2026, 3, 1)
        )
        for c in (None, contract)
    ]

    listed = {row["id"] for row in api_client_as(fleet.user).get("/api/documents/").json()["results"]}

    assert listed == {letters[1].pk}


def test_the_history_names_the_colleague_who_withdrew_a_request(acme, client_user):
    # An outside walk: a request withdrawn by another user of the company read "Withdrawn by the client",
    # with nobody named.
    colleague = _member(acme, "wspolnik@acme.pl")  # sees every contract
    colleague.user.first_name, colleague.user.last_name = "Wojciech", "Wspólnik"
    colleague.user.save()
    request_id = _other_matter(client_user)
    assert (
        api_client_as(colleague.user)
        .post(f"/api/requests/{request_id}/cancel/", {}, format="json")
        .status_code
        == 200
    )

    page = APIClient()
    page.force_login(client_user)
    html = page.get(f"/requests/{request_id}/").content.decode()

    history = html.split('id="request-history"')[1].split("</ol>")[0]
    assert "Wojciech Wspólnik" in history
