"""Role × endpoint: which area each role of a membership opens (reads) and changes (writes), by status code.

Pinned here on purpose: the authorization matrix (tests/security) derives what to expect from the views'
own permission classes; this table says what the roles should be, so a view in the wrong area fails.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.clients.models import ClientMembership
from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OWNER, FLEET, ACCOUNTANT, GRANTED = "owner", "fleet_manager", "accountant", "accountant+grants"
ROLES = (OWNER, FLEET, ACCOUNTANT, GRANTED)

# (method, path, roles that get through the permission check); {c} is a contract, {i} an invoice.
TABLE = [
    ("get", "/api/contracts/", ROLES),
    ("get", "/api/contracts/{c}/", ROLES),
    ("get", "/api/contracts/{c}/schedule/", ROLES),
    # The schedule's files are exports: not the fleet manager's (the schedule above is read by every role).
    ("get", "/api/contracts/{c}/schedule/pdf/", (OWNER, ACCOUNTANT, GRANTED)),
    ("get", "/api/contracts/{c}/schedule/xlsx/", (OWNER, ACCOUNTANT, GRANTED)),
    ("get", "/api/contracts/{c}/schedule/csv/", (OWNER, ACCOUNTANT, GRANTED)),
    ("get", "/api/documents/", ROLES),
    ("get", "/api/invoices/", (OWNER, ACCOUNTANT, GRANTED)),
    ("get", "/api/invoices/{i}/", (OWNER, ACCOUNTANT, GRANTED)),
    ("get", "/api/invoices/archive/", (OWNER, ACCOUNTANT, GRANTED)),
    ("get", "/api/settlements/", (OWNER, ACCOUNTANT, GRANTED)),
    ("get", "/api/settlements/due/", (OWNER, ACCOUNTANT, GRANTED)),
    ("post", "/api/invoices/accounting-zip/", (OWNER, ACCOUNTANT, GRANTED)),
    ("post", "/api/invoices/{i}/duplicates/", (OWNER,)),
    ("get", "/api/requests/", (OWNER, FLEET, GRANTED)),
    ("post", "/api/requests/", (OWNER, FLEET, GRANTED)),
    ("get", "/api/messages/", (OWNER, FLEET, GRANTED)),
    ("post", "/api/messages/", (OWNER, FLEET, GRANTED)),
    ("get", "/api/client/users/", ()),  # administrators only, whatever the role
    ("get", "/api/client/", ROLES),
]


@pytest.fixture
def world(acme):
    contract = ContractFactory(client=acme)
    invoice = InvoiceFactory(client=acme, contract=contract)
    apis = {}
    for role in ROLES:
        membership = MembershipFactory(
            user=UserFactory(email=f"{role.replace('+', '-')}@acme.pl"),
            client=acme,
            role=role.split("+")[0],
            all_contracts=False,
            grants=["messages", "requests"] if role == GRANTED else [],
        )
        membership.contracts.set([contract])
        api = APIClient()
        api.force_login(membership.user)
        apis[role] = api
    return contract, invoice, apis


@pytest.mark.parametrize(("method", "path", "allowed"), TABLE, ids=[f"{m} {p}" for m, p, _ in TABLE])
def test_role_by_endpoint(world, method, path, allowed):
    # given
    contract, invoice, apis = world

    for role in ROLES:
        # when
        response = getattr(apis[role], method)(path.format(c=contract.pk, i=invoice.pk), {}, format="json")

        # then: refused roles get 403 in the error shape; the others get past the permission check
        if role in allowed:
            assert response.status_code != 403, (role, response.content)
            assert response.status_code < 500
        else:
            assert response.status_code == 403, (role, response.status_code)
            assert set(response.json()) == {"code", "message", "fields"}


def test_accountant_grants_do_not_make_writes_elsewhere(world):
    _contract, invoice, apis = world

    response = apis[GRANTED].post(f"/api/invoices/{invoice.pk}/duplicates/", {}, format="json")

    assert response.status_code == 403
    assert ClientMembership.objects.filter(role="accountant").count() == 2
