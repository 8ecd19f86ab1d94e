"""Finding 3: a company-wide balance confirmation is listed and downloaded only by users who see every
contract of the company; an accountant limited to some contracts cannot check it (page and API)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from backend.documents.models import Document
from tests.factories import ContractFactory, MembershipFactory, UserFactory
from tests.logged_in_clients import api_client_as

pytestmark = pytest.mark.django_db


def _document(client, *, kind, contract=None, title):
    document = Document(
        client=client,
        contract=contract,
        kind=kind,
        title=title,
        original_name="x.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        issued_on=timezone.localdate(),
    )
    document.file.save("x.pdf", ContentFile(b"%PDF"), save=False)
    document.save()
    return document


@pytest.fixture
def world(acme, client_user):
    own = ContractFactory(client=acme)
    ContractFactory(client=acme)  # a contract the accountant does not see
    balance = _document(acme, kind=Document.Kind.BALANCE_CONFIRMATION, title="Potwierdzenie salda 31.12.2025")
    note = _document(acme, kind=Document.Kind.COMPENSATION_NOTE, contract=own, title="Nota KP/1")
    decision = _document(acme, kind=Document.Kind.OTHER, title="Pismo do firmy")
    limited = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role="accountant", all_contracts=False
    )
    limited.contracts.set([own])
    everything = MembershipFactory(
        user=UserFactory(email="ksiegowa-all@acme.pl"), client=acme, role="accountant", all_contracts=True
    )
    return balance, note, decision, limited.user, everything.user


def test_a_limited_accountant_neither_lists_nor_downloads_the_company_balance(client, world):
    balance, note, decision, limited, _all = world

    listed = {row["id"] for row in api_client_as(limited).get("/api/documents/").json()["results"]}
    client.force_login(limited)
    page = client.get("/documents/").content.decode()

    assert balance.pk not in listed
    assert {note.pk, decision.pk} <= listed  # the company's other documents stay
    assert "Potwierdzenie salda 31.12.2025" not in page
    assert "Nota KP/1" in page
    response = api_client_as(limited).get(f"/api/documents/{balance.pk}/download/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "fields"}


def test_owner_and_an_accountant_of_every_contract_keep_it(client_user, world):
    balance, *_rest, everything = world

    for user in (client_user, everything):
        listed = {row["id"] for row in api_client_as(user).get("/api/documents/").json()["results"]}
        assert balance.pk in listed, user.email
        assert api_client_as(user).get(f"/api/documents/{balance.pk}/download/").status_code == 200, (
            user.email
        )
