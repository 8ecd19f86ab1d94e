"""A decision letter answers a request: the document store follows the requests area as
/api/requests/{id}/decision-document/ does. An accountant (no requests area) neither lists nor downloads it
(API and the documents page alike); granted the requests area, or as owner, it is there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.clients.models import ClientMembership
from tests.documents.test_apis import make_document
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountant(acme):
    user = UserFactory(email="ksiegowa@acme.pl")
    MembershipFactory(user=user, client=acme, role=ClientMembership.Role.ACCOUNTANT)
    return user


@pytest.fixture
def documents(acme, acme_contract):
    decision = make_document(acme, kind="decision", title="Decyzja WN/2026/000004")
    balance = make_document(acme, kind="balance_confirmation", contract=acme_contract, title="Saldo")
    return decision, balance


def test_an_accountant_neither_lists_nor_downloads_a_decision_letter(api_as, accountant, documents):
    decision, balance = documents
    api = api_as(accountant)

    listed = [row["id"] for row in api.get("/api/documents/").json()["results"]]
    assert listed == [balance.pk]
    assert api.get("/api/documents/", {"kind": "decision"}).json()["results"] == []
    assert api.get(f"/api/documents/{decision.pk}/download/").status_code == 404
    assert api.get(f"/api/documents/{balance.pk}/download/").status_code == 200


def test_the_documents_page_hides_it_from_the_accountant_too(client, accountant, documents):
    client.force_login(accountant)
    page = client.get(reverse("documents")).content.decode()
    assert "Saldo" in page and "WN/2026/000004" not in page


def test_a_role_with_the_requests_area_gets_it(api_as, client_user, accountant, acme, documents):
    decision, _balance = documents
    ClientMembership.objects.filter(user=accountant).update(grants=[ClientMembership.Grant.REQUESTS])

    for user in (client_user, accountant):  # the owner; the accountant granted requests
        api = api_as(user)
        assert decision.pk in [row["id"] for row in api.get("/api/documents/").json()["results"]]
        assert api.get(f"/api/documents/{decision.pk}/download/").status_code == 200
