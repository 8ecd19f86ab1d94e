from __future__ import annotations

import pytest

from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def people(client_user, bok_staff, analyst, acme_contract, acme) -> list:
    """A client user, staff, an analyst and a client administrator: between them, every API view's audience."""
    # A client administrator too: the company's users pages (/api/client/users/) are theirs only.
    administrator = UserFactory(email="administrator@acme.pl")
    MembershipFactory(user=administrator, client=acme, is_admin=True)
    return [client_user, bok_staff, analyst, administrator]
