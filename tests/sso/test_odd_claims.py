"""A bank-signed assertion whose claims PostgreSQL cannot store is a rejection with its audit row, not a 500.

PostgreSQL keeps no NUL in text or jsonb (SQLite does): the jti's row and the audit row of such claims failed
there. This module also runs in the PostgreSQL phase of `make test`.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from backend.core.models import AuditLog
from backend.sso.models import UsedAssertion
from backend.sso.services import link_bank_customer


@pytest.fixture
def linked_user(client_user):
    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    return client_user


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "BANK-\x000001"},
        {"jti": "a\x00b"},
        {"contract": "UL/\x00"},
        {"extra": {"nested": ["ok", "a\x00b"]}},
        {"a\x00b": "a key of its own"},
    ],
    ids=["sub", "jti", "contract", "nested", "name"],
)
def test_a_claim_holding_a_nul_is_rejected_as_malformed_with_its_audit_row(
    client, linked_user, acme_contract, sign, claims
):
    # given: the bank signed an assertion with a NUL in one of its claims
    token = sign(**{"contract": acme_contract.number, **claims})

    # when
    response = client.post(reverse("sso_bank"), {"assertion": token})

    # then
    assert response.status_code == 400
    assert 'data-reason="malformed"' in response.content.decode()
    assert AuditLog.objects.get(action="sso_rejected").detail["reason"] == "malformed"
    assert not UsedAssertion.objects.exists()
    assert "_auth_user_id" not in client.session
