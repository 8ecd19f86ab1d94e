"""A client of the demo's size for the staff client page: ten contracts, a year of invoices of each with
their payments, six users, requests and message threads."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from backend.clients.models import ClientMembership
from tests.factories import (
    ContractFactory,
    InvoiceFactory,
    LeasedItemFactory,
    MembershipFactory,
    PaymentFactory,
    UserFactory,
)
from tests.request_helpers import submit_other_request

CONTRACTS = 10
MONTHS = 12
USERS = 6


def build_demo_client(acme, client_user) -> dict:
    """ACME with CONTRACTS contracts, MONTHS monthly invoices of each (the newest unpaid, one overdue, the
    rest paid), USERS users in all (client_user among them), three requests and a message thread."""
    today = timezone.localdate()
    contracts = []
    for n in range(CONTRACTS):
        contract = ContractFactory(client=acme, number=f"UL/2025/{n + 1:06d}", schedule=False)
        LeasedItemFactory(contract=contract, name=f"Skoda Octavia 2.0 TDI nr {n + 1}")
        contracts.append(contract)
        for month in range(MONTHS):
            issued = today - timedelta(days=30 * month + 3)
            paid = month > 1
            invoice = InvoiceFactory(
                client=acme,
                contract=contract,
                number=f"FV/2026/{n:02d}{month:05d}",
                issue_date=issued,
                gross_total=Decimal("2460.00"),
                paid_amount=Decimal("2460.00") if paid else Decimal("0.00"),
            )
            if paid:
                PaymentFactory(invoice=invoice, amount=Decimal("2460.00"), reference=f"Rata {MONTHS - month}")
    for n in range(USERS - 1):
        user = UserFactory(email=f"uzytkownik{n}@acme.pl", first_name="Jan", last_name=f"Nowak-{n}")
        membership = MembershipFactory(
            user=user, client=acme, role=ClientMembership.Role.FLEET_MANAGER, all_contracts=False
        )
        membership.contracts.set(contracts[n : n + 3])
    for subject in ("Zmiana terminu płatności", "Duplikat faktury", "Polisa"):
        submit_other_request(client_user, acme, subject=subject)
    return {"client": acme, "contracts": contracts}
