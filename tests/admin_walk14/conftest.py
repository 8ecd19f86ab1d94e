"""The administrator of the Django admin tests: a superuser with the admin role, Polish, and their browser."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient

from backend.accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def admin(db) -> User:
    return UserFactory(
        email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True, language="pl"
    )


def browser_of(user: User) -> PageClient:
    browser = PageClient()
    browser.force_login(user)
    return browser


@pytest.fixture
def browser(admin) -> PageClient:
    return browser_of(admin)
