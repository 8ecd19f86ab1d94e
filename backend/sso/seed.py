"""Demo data of the bank hand-off: which bank customer ids stand for which demo users."""

from __future__ import annotations

from backend.accounts.models import User
from backend.sso.services import link_bank_customer

DEMO_BANK_LINKS = [
    ("BANK-0001", "klient@demo.pl"),
    ("BANK-0002", "wspolnik@demo.pl"),
]


def seed_bank_links() -> int:
    """Link the demo bank customers to the demo users that exist; return how many links were made."""
    made = 0
    for bank_customer_id, email in DEMO_BANK_LINKS:
        user = User.objects.filter(email=email).first()
        if user is not None:
            link_bank_customer(bank_customer_id=bank_customer_id, user=user)
            made += 1
    return made
