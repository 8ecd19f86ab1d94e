"""Requests made through the services for tests that need one to exist (no HTTP, no browser)."""

from __future__ import annotations

from backend.requests_app import services


def submit_other_request(user, client, subject: str = "Pytanie"):
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
