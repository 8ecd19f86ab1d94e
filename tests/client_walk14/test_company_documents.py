"""Documents tied to no contract (the decision on a company-wide request, a letter) are the company's: a
fleet manager or accountant limited to some contracts lists and downloads them, on the page and through the
API, while another contract's documents stay hidden (404). A company-wide balance confirmation is the
exception: only users who see every contract get it (tests/money19/test_balance_confirmation_scope.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from backend.clients.models import ClientMembership
from backend.documents.models import Document
from tests.client_correctness.helpers import visible_text
from tests.factories import ContractFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def document(acme, title: str, contract=None, kind=Document.Kind.BALANCE_CONFIRMATION) -> Document:
    return Document.objects.create(
        client=acme,
        contract=contract,
        kind=kind,
        title=title,
        file=ContentFile(b"%PDF-1.4 test", name="doc.pdf"),
        original_name="doc.pdf",
        content_type="application/pdf",
        size=13,
        issued_on=date(2026, 1, 10),
    )


@pytest.fixture
def world(acme):
    mine, theirs = ContractFactory(client=acme), ContractFactory(client=acme)
    return {
        "company": document(acme, "Pismo do firmy z 10.01.2026", kind=Document.Kind.OTHER),
        "mine": document(acme, "Aneks mojej umowy", mine),
        "theirs": document(acme, "Aneks cudzej umowy", theirs),
        "mine_contract": mine,
    }


@pytest.mark.parametrize("role", [ClientMembership.Role.FLEET_MANAGER, ClientMembership.Role.ACCOUNTANT])
def test_a_limited_user_sees_and_downloads_the_companys_documents(api_as, client, acme, world, role):
    membership = MembershipFactory(user=UserFactory(), client=acme, role=role, all_contracts=False)
    membership.contracts.set([world["mine_contract"]])
    api = api_as(membership.user)

    listed = {row["id"] for row in api.get("/api/documents/").json()["results"]}
    page = visible_text(logged_in(client, membership.user).get(reverse("documents")).content.decode())

    assert listed == {world["company"].pk, world["mine"].pk}
    assert "Pismo do firmy z 10.01.2026" in page and "Aneks cudzej umowy" not in page
    download = api.get(f"/api/documents/{world['company'].pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert api.get(f"/api/documents/{world['theirs'].pk}/download/").status_code == 404


def test_another_companys_contract_less_document_stays_hidden(api_as, client_user, other_company, world):
    foreign = document(other_company, "Potwierdzenie salda innej firmy")

    api = api_as(client_user)

    assert foreign.pk not in {row["id"] for row in api.get("/api/documents/").json()["results"]}
    assert api.get(f"/api/documents/{foreign.pk}/download/").status_code == 404
