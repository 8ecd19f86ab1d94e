"""Fixtures of the fourteenth security walk: a logged-in API client of `client_user`."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(api_as, client_user) -> APIClient:
    return api_as(client_user)
