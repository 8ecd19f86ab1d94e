"""A reply link answers only while its recipient could answer the same request logged in (defect 1)."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.clients.models import ClientMembership
from backend.requests_app.models import PortalRequest, RequestEvent, RequestStatus
from tests.factories import ContractFactory, MembershipFactory, UserFactory
from tests.reply_link.helpers import ask_with_contact, reply_link_path

COLLEAGUE = "piotr.flota@acme.pl"


@pytest.fixture
def colleague(acme, acme_contract) -> ClientMembership:
    """ACME's fleet manager of the request's contract: the request's contact person."""
    membership = MembershipFactory(
        user=UserFactory(email=COLLEAGUE, first_name="Piotr", last_name="Flota"),
        client=acme,
        is_default=False,
        role=ClientMembership.Role.FLEET_MANAGER,
        all_contracts=False,
    )
    membership.contracts.set([acme_contract])
    return membership


@pytest.fixture
def link_path(api_as, client_user, bok_staff, acme_contract, colleague, django_capture_on_commit_callbacks):
    """The colleague's reply link of a request submitted by the owner and asked about by staff."""
    ask_with_contact(
        api_as,
        django_capture_on_commit_callbacks,
        submitter=client_user,
        staff=bok_staff,
        contract=acme_contract,
        contact_email=COLLEAGUE,
        question="Proszę o numer rachunku.",
    )
    return reply_link_path(COLLEAGUE)


def assert_link_refused(client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 410
    sent = client.post(path, {"message": "PL61 1090 1014 0000 0712 1981 2874"})
    assert sent.status_code == 410
    portal_request = PortalRequest.objects.get()
    assert portal_request.status == RequestStatus.WAITING_FOR_CLIENT
    assert not portal_request.events.filter(kind=RequestEvent.Kind.REPLY).exists()


def test_the_link_works_while_the_contact_person_has_access(client, link_path):
    assert client.get(link_path).status_code == 200
    sent = client.post(link_path, {"message": "PL61 1090 1014 0000 0712 1981 2874"})
    assert sent.status_code == 200
    reply = PortalRequest.objects.get().events.get(kind=RequestEvent.Kind.REPLY)
    assert reply.actor.email == COLLEAGUE


def test_a_suspended_contact_person_cannot_answer_by_link(client, admin_api, colleague, link_path):
    assert admin_api.post(f"/api/client/users/{colleague.pk}/suspend/").status_code == 200
    assert_link_refused(client, link_path)


def test_a_removed_contact_person_cannot_answer_by_link(client, admin_api, colleague, link_path):
    assert admin_api.delete(f"/api/client/users/{colleague.pk}/").status_code == 204
    assert_link_refused(client, link_path)


def test_a_contact_person_whose_contracts_changed_cannot_answer_by_link(
    client, admin_api, acme, colleague, link_path
):
    other = ContractFactory(client=acme)
    changed = admin_api.patch(
        f"/api/client/users/{colleague.pk}/", {"contract_ids": [other.pk]}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert_link_refused(client, link_path)


def test_a_contact_person_whose_role_lost_requests_cannot_answer_by_link(
    client, admin_api, colleague, link_path
):
    changed = admin_api.patch(f"/api/client/users/{colleague.pk}/", {"role": "accountant"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert_link_refused(client, link_path)


def test_a_suspended_contact_person_is_not_asked_by_e_mail_any_more(
    api_as, admin_api, client_user, bok_staff, acme_contract, colleague, django_capture_on_commit_callbacks
):
    # given the contact person's access suspended before staff ask
    assert admin_api.post(f"/api/client/users/{colleague.pk}/suspend/").status_code == 200
    # when the owner submits naming them as contact person and staff ask the client
    ask_with_contact(
        api_as,
        django_capture_on_commit_callbacks,
        submitter=client_user,
        staff=bok_staff,
        contract=acme_contract,
        contact_email=COLLEAGUE,
        question="Proszę o numer rachunku.",
    )
    # then the submitter is asked, the suspended person gets no e-mail (nor a link that would be refused)
    assert [m for m in mail.outbox if m.to == [COLLEAGUE]] == []
    assert [m for m in mail.outbox if m.to == [client_user.email]]
