"""Requests made for tests that need one to exist, and staff's steps on them through the staff API."""

from __future__ import annotations

from backend.requests_app import services

# What staff ask the client in the tests of a question and its wait.
QUESTION = "Prosimy o skan faktury."


def submit_other_request(user, client, subject: str = "Pytanie"):
    """A request of the kind with the fewest inputs (no contract), waiting for staff (through the services:
    no HTTP)."""
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


def claim(api, request_id: int) -> None:
    """The staff member of `api` takes the request's task."""
    claimed = api.post(f"/api/staff/requests/{request_id}/claim/")
    assert claimed.status_code == 200, claimed.json()


def ask_client(api, request_id: int, question: str = QUESTION):
    """Staff's question to the client; the response (a refusal is the caller's to check)."""
    return api.post(f"/api/staff/requests/{request_id}/ask-client/", {"question": question}, format="json")
