"""Demo colleagues with limited roles: a fleet manager and an accountant of the main demo company.

They act for the company of klient@demo.pl (its administrator) on some of its contracts only, so a tester
sees what each role may open. Created after the clients, since they name contracts; running it again adds
nothing.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from backend.accounts.models import User
from backend.clients.models import ClientMembership
from backend.contracts.models import Contract
from backend.demo.vocabulary import DEMO_PASSWORD, FIXED_ROLE_LOGINS

MAIN_LOGIN = "klient@demo.pl"


def seed_demo_role_logins() -> list[str]:
    """Create the limited demo logins (once); return the e-mails of those that exist."""
    home = ClientMembership.objects.filter(user__email=MAIN_LOGIN, is_default=True).select_related("client")
    home = home.first()
    if home is None:
        return []
    contracts = list(Contract.objects.filter(client=home.client).order_by("number"))
    # Every demo client has at least two contracts: each half is some, never all of them.
    halves = {"first": contracts[: len(contracts) // 2], "second": contracts[len(contracts) // 2 :]}
    seeded = []
    for email, (first, last, role, which) in FIXED_ROLE_LOGINS.items():
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": User.Role.CLIENT,
                "password": make_password(DEMO_PASSWORD),
                "phone": "+48 600 100 201",
            },
        )
        if created or not ClientMembership.objects.filter(user=user, client=home.client).exists():
            membership = ClientMembership.objects.create(
                user=user, client=home.client, is_default=True, role=role, all_contracts=False
            )
            membership.contracts.set(halves[which])
        seeded.append(email)
    return seeded
