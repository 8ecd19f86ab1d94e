"""PUT /api/drafts/ keeps a draft only of a form the user may send (defect 7): the area of the user's role
and the object the key names, refused as the action itself would be (403 / 404 in the error shape)."""

from __future__ import annotations

import pytest

from backend.clients.models import ClientMembership
from backend.drafts.models import Draft
from backend.requests_app import services
from tests.factories import ContractFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/drafts/"
TYPED = {"message": "Odpowiedź w toku"}


def request_on(user, client, contract):
    portal_request, _created = services.submit_request(
        user=user,
        client=client,
        kind="other_request",
        contract=contract,
        contact={"name": "Anna Kowalska", "phone": "+48 601 234 567", "email": user.email},
        declarations=[],
        data={"subject": "Pytanie", "message": "Treść pytania"},
        attachment_ids=[],
    )
    return portal_request


def member(client, email: str, role: str, contracts) -> object:
    membership = MembershipFactory(
        user=UserFactory(email=email), client=client, role=role, all_contracts=False
    )
    membership.contracts.set(contracts)
    return membership.user


def put(api, key: str):
    return api.put(URL, {"form_key": key, "data": TYPED}, format="json")


def test_an_accountant_keeps_no_drafts_of_messages_or_requests(api_as, acme, acme_contract, client_user):
    accountant = member(acme, "ksiegowa@acme.pl", ClientMembership.Role.ACCOUNTANT, [acme_contract])
    own = request_on(client_user, acme, acme_contract)
    api = api_as(accountant)

    for key in ("message:new", f"request:reply:{own.pk}", "request:other_request"):
        response = put(api, key)
        assert response.status_code == 403, key
        assert set(response.json()) == {"code", "message", "fields"}
    assert not Draft.objects.exists()


def test_a_fleet_manager_keeps_drafts_only_of_requests_of_his_contracts(
    api_as, acme, acme_contract, client_user
):
    outside = ContractFactory(client=acme)
    fleet = member(acme, "flota@acme.pl", ClientMembership.Role.FLEET_MANAGER, [acme_contract])
    his = request_on(client_user, acme, acme_contract)
    foreign = request_on(client_user, acme, outside)
    api = api_as(fleet)

    assert put(api, f"request:reply:{his.pk}").status_code == 200
    assert put(api, "message:new").status_code == 200
    for key in (f"request:reply:{foreign.pk}", "request:reply:99999999999"):
        response = put(api, key)
        assert response.status_code == 404, key
        assert response.json()["code"] == "not_found"
    assert sorted(Draft.objects.values_list("form_key", flat=True)) == [
        "message:new",
        f"request:reply:{his.pk}",
    ]


def test_a_comment_draft_names_a_request_the_user_may_see(api_as, client_user, other_client_user, acme):
    from tests.request_helpers import submit_other_request

    portal_request = submit_other_request(client_user, acme)
    body = {"form_key": f"request:comment:{portal_request.pk}", "data": {"message": "Szkic"}}
    assert api_as(client_user).put("/api/drafts/", body, format="json").status_code == 200
    assert api_as(other_client_user).put("/api/drafts/", body, format="json").status_code == 404
