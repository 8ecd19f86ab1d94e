"""In-page links and buttons follow the role: nobody is shown a way into a part of the portal refused to them.

The contract, invoice and home pages, client data and help, per role (owner, fleet manager, accountant,
accountant with extra rights); the refusal itself is tested in test_role_matrix.py.
"""

from __future__ import annotations

import pytest

from backend.clients.models import ClientMembership
from tests.factories import ContractFactory, InvoiceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OWNER, FLEET, ACCOUNTANT, GRANTED = "owner", "fleet_manager", "accountant", "accountant+grants"

REQUEST_LINKS = ('href="/requests/', 'href="/buyout/', 'id="buyout-link"', 'href="/client-data/change/')
MESSAGE_LINKS = ('href="/messages/',)
DUPLICATE_BUTTON = 'data-testid="generate-duplicate"'


@pytest.fixture
def world(acme):
    contract = ContractFactory(client=acme, status="active")
    invoice = InvoiceFactory(client=acme, contract=contract)
    users = {}
    for role in (OWNER, FLEET, ACCOUNTANT, GRANTED):
        membership = MembershipFactory(
            user=UserFactory(email=f"{role.replace('+', '-')}@acme.pl"),
            client=acme,
            role=role.split("+")[0],
            all_contracts=role == OWNER,
            grants=[ClientMembership.Grant.MESSAGES, ClientMembership.Grant.REQUESTS]
            if role == GRANTED
            else [],
        )
        membership.contracts.set([contract])
        users[role] = membership.user
    return contract, invoice, users


def page(client, user, path: str) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(path)
    return response.status_code, response.content.decode()


def contains_any(body: str, needles) -> bool:
    return any(needle in body for needle in needles)


def test_contract_page_offers_a_buyout_request_only_to_roles_with_requests(client, world):
    contract, _invoice, users = world
    path = f"/contracts/{contract.pk}/"

    for role, may_request, may_message in (
        (OWNER, True, True),
        (FLEET, True, True),
        (ACCOUNTANT, False, False),
        (GRANTED, True, True),
    ):
        status, body = page(client, users[role], path)

        assert status == 200, role
        assert ('id="buyout-link"' in body) is may_request, role
        assert contains_any(body, REQUEST_LINKS) is may_request, role
        assert contains_any(body, MESSAGE_LINKS) is may_message, role
        assert 'data-testid="schedule-table"' in body, role  # every role reads the schedule of its contracts
        # its files are exports, which the fleet manager lacks (as on the settlements page and the API)
        assert ("/schedule/pdf/" in body) is (role != FLEET), role
        assert ("/schedule/xlsx/" in body) is (role != FLEET), role


def test_invoice_page_offers_the_duplicate_only_to_who_may_order_it(client, world):
    _contract, invoice, users = world
    path = f"/invoices/{invoice.pk}/"

    owner_status, owner_body = page(client, users[OWNER], path)
    accountant_status, accountant_body = page(client, users[ACCOUNTANT], path)
    granted_status, granted_body = page(client, users[GRANTED], path)
    fleet_status, _fleet_body = page(client, users[FLEET], path)

    assert owner_status == accountant_status == granted_status == 200
    assert DUPLICATE_BUTTON in owner_body
    assert DUPLICATE_BUTTON not in accountant_body and DUPLICATE_BUTTON not in granted_body
    assert 'data-testid="invoice-pdf"' in accountant_body  # reading stays
    assert not contains_any(accountant_body, REQUEST_LINKS + MESSAGE_LINKS)
    assert contains_any(granted_body, MESSAGE_LINKS)
    assert fleet_status == 403


def test_home_page_shows_no_requests_or_messages_to_an_accountant(client, world):
    _contract, _invoice, users = world

    accountant_status, accountant_body = page(client, users[ACCOUNTANT], "/")
    owner_status, owner_body = page(client, users[OWNER], "/")

    assert accountant_status == owner_status == 200
    assert not contains_any(accountant_body, REQUEST_LINKS + MESSAGE_LINKS)
    assert 'href="/invoices/' in accountant_body
    assert contains_any(owner_body, REQUEST_LINKS) and contains_any(owner_body, MESSAGE_LINKS)


def test_client_data_and_help_hide_the_change_request_and_new_message(client, world):
    _contract, _invoice, users = world

    for role, may_request, may_message in ((OWNER, True, True), (ACCOUNTANT, False, False)):
        _status, data_body = page(client, users[role], "/client-data/")
        _status, help_body = page(client, users[role], "/help/")

        assert ('data-testid="change-data"' in data_body) is may_request, role
        assert ('href="/messages/new/"' in help_body) is may_message, role
        assert contains_any(help_body + data_body, MESSAGE_LINKS) is may_message, role


def test_client_data_says_who_can_change_them_to_a_user_without_requests(client, world, acme):
    """The accountant read "To change them, send a data change request" with no button and 403 on the
    request pages: a user who cannot send one is told whom to ask, an administrator where to give the right."""
    _contract, _invoice, users = world
    admin_accountant = MembershipFactory(
        user=UserFactory(email="admin-accountant@acme.pl"),
        client=acme,
        role="accountant",
        is_admin=True,
    ).user
    for user in (*users.values(), admin_accountant):
        user.language = "en"
        user.save(update_fields=["language"])

    leads = {
        role: lead_of(page(client, user, "/client-data/")[1])
        for role, user in (*users.items(), ("admin accountant", admin_accountant))
    }

    assert leads[OWNER].endswith("To change them, send a data change request.")
    assert leads[GRANTED] == leads[OWNER] and leads[FLEET] == leads[OWNER]
    assert "To change them, send a data change request." not in leads[ACCOUNTANT]
    assert "ask your company's administrator or a colleague who may send requests" in leads[ACCOUNTANT]
    assert "you can give that right to yourself or a colleague under Users" in leads["admin accountant"]


def lead_of(body: str) -> str:
    start = body.index('data-testid="client-data-lead">') + len('data-testid="client-data-lead">')
    return body[start : body.index("</p>", start)].replace("&#x27;", "'")
