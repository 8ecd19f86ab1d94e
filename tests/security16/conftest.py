"""Round 16's fixes: the company's administrator, shared by the tests that change a member's access."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def admin_api(acme) -> APIClient:
    """ACME's administrator (Adam Admin), logged in to the API."""
    user = UserFactory(email="admin@acme.pl", first_name="Adam", last_name="Admin")
    MembershipFactory(user=user, client=acme, is_admin=True)
    api = APIClient()
    api.force_login(user)
    return api
