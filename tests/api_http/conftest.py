"""Fixtures of the API-over-HTTP tests: what an outside API client meets (status, headers, error shape)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(api_as, client_user) -> APIClient:
    return api_as(client_user)


@pytest.fixture
def csrf_api(client_user) -> APIClient:
    """A logged-in client that checks CSRF as a real browser session is checked (the test client skips it)."""
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(client_user)
    return api


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body
