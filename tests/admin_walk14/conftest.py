"""The administrator of the Django admin tests: a superuser with the admin role, Polish, and their browser."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient

from backend.accounts.models import User
from tests.factories import UserFactory
from tests.logged_in_clients import browsing_as


@pytest.fixture
def admin(db) -> User:
    return UserFactory(
        email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True, language="pl"
    )


@pytest.fixture
def browser(admin) -> PageClient:
    return browsing_as(admin)
