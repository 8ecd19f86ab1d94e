"""The Django admin's administrator (admin@leasing.example, Polish) and their browser."""

from __future__ import annotations

import re

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


def user_form(browser: PageClient, user: User, **fields) -> dict:
    """The user's page as a browser sends it back: the stored values, the page's inline management form
    (its memberships are shown read-only), then `fields` (a value "" leaves the field out: an unticked box)."""
    page = browser.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    management = dict(re.findall(r'name="(memberships-[A-Z_]+)" value="(\d+)"', page))
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        **management,
        **fields,
    }
    return {key: value for key, value in data.items() if value != ""}
