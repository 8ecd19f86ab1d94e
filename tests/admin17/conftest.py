"""The Django admin's administrator (admin@leasing.example, Polish) and their browser."""

from __future__ import annotations

import re

from django.test import Client as PageClient

from backend.accounts.models import User
from tests.admin_walk14.conftest import admin, browser  # noqa: F401  (the same administrator)


def user_form(page_client: PageClient, user: User, **fields) -> dict:
    """The user's page as a browser sends it back: the stored values, the page's inline management form
    (its memberships are shown read-only), then `fields` (a value "" leaves the field out: an unticked box)."""
    page = page_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
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
