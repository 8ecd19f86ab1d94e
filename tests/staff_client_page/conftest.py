"""A client seeded for customer service's client page: contracts, invoices, a payment, users, a request
and a message thread."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.clients.models import ClientMembership
from tests.factories import (
    ContractFactory,
    InvoiceFactory,
    LeasedItemFactory,
    MembershipFactory,
    PaymentFactory,
    SerialNumberFactory,
    UserFactory,
)
from tests.request_helpers import submit_other_request


@pytest.fixture
def seeded(acme, client_user, thread, acme_contract):
    """ACME with a second contract, three invoices (paid, overdue, unpaid), a payment, a fleet manager who
    sees one contract and has not activated the account, and a request."""
    today = timezone.localdate()
    acme.phone = "+48 22 555 66 77"
    acme.save(update_fields=["phone"])
    LeasedItemFactory(contract=acme_contract, name="Skoda Octavia 2.0 TDI")
    SerialNumberFactory(item=acme_contract.items.get(), kind="VIN", value="TMBJJ7NE5L0123456")
    second = ContractFactory(client=acme, number="LF/2025/000777", currency="EUR")
    paid = InvoiceFactory(
        client=acme, contract=acme_contract, number="FV/2026/0000101", paid_amount=Decimal("1230.00")
    )
    PaymentFactory(invoice=paid, amount=Decimal("1230.00"), reference="Rata 5")
    InvoiceFactory(
        client=acme,
        contract=acme_contract,
        number="FV/2026/0000102",
        issue_date=today - timedelta(days=40),
        gross_total=Decimal("2460.00"),
    )
    InvoiceFactory(client=acme, contract=second, number="FV/2026/0000103", currency="EUR")
    fleet = UserFactory(email="zofia.krol@acme.pl", first_name="Zofia", last_name="Król", phone="600 700 800")
    fleet.set_unusable_password()
    fleet.save()
    membership = MembershipFactory(
        user=fleet, client=acme, role=ClientMembership.Role.FLEET_MANAGER, all_contracts=False
    )
    membership.contracts.set([second])
    portal_request = submit_other_request(client_user, acme, subject="Pytanie o fakturę")
    return {"client": acme, "second": second, "request": portal_request, "thread": thread}
