"""A staff day on the task page and list: two staff members, requests of the demo client."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.request_helpers import submit_other_request


def browsing_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def open_request(acme, client_user):
    return submit_other_request(client_user, acme)
