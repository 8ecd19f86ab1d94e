"""Finding 6: an accountant (read-only invoices) is told on the invoice page who generates a duplicate."""

from __future__ import annotations

import pytest

from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_accountant_reads_who_generates_a_duplicate(client, client_user, acme):
    invoice = InvoiceFactory(client=acme, contract=ContractFactory(client=acme))
    accountant = MembershipFactory(
        user=UserFactory(email="ksiegowa@acme.pl"), client=acme, role="accountant", all_contracts=True
    ).user

    client.force_login(accountant)
    body = client.get(f"/invoices/{invoice.pk}/").content.decode()
    client.force_login(client_user)
    owner_body = client.get(f"/invoices/{invoice.pk}/").content.decode()

    assert 'data-testid="generate-duplicate"' not in body
    assert "Duplikat faktury generuje właściciel konta firmy" in body
    assert 'data-testid="generate-duplicate"' in owner_body
    assert 'data-testid="duplicate-who"' not in owner_body
