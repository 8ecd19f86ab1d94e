"""ACME's client administrator for the invitation probes (as tests/client_admin/conftest.py)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def admin_membership(acme):
    user = UserFactory(email="admin@acme.pl", first_name="Adam", last_name="Admin")
    return MembershipFactory(user=user, client=acme, is_admin=True)


@pytest.fixture
def admin_api(admin_membership) -> APIClient:
    api = APIClient()
    api.force_login(admin_membership.user)
    return api
