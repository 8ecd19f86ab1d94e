"""A staff day on the task page and list: two staff members, requests of the demo client."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.requests_app import services


def submit(user, client, subject: str = "Pytanie"):
    """A request of the kind with the fewest inputs (no contract), waiting for staff."""
    portal_request, _created = services.submit_request(
        user=user,
        client=client,
        kind="other_request",
        contract=None,
        contact={"name": "Anna Kowalska", "phone": "+48 601 234 567", "email": user.email},
        declarations=[],
        data={"subject": subject, "message": "Treść pytania"},
        attachment_ids=[],
    )
    return portal_request


def browsing_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def open_request(acme, client_user):
    return submit(client_user, acme)
