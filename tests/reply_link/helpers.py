"""A request asked about by staff with a chosen contact person, and the reply link its e-mail carries."""

from __future__ import annotations

import re

from django.core import mail

from tests.request_helpers import ask_client
from tests.requests_app.helpers import submission

LINK = re.compile(r"https?://[^\s\"<]+/reply/([\w-]+)/")


def ask_with_contact(
    api_as, capture, *, submitter, staff, contract, contact_email: str, question: str
) -> int:
    """Submit a payment-day request naming `contact_email`, then staff's question; returns the request id.
    `capture` is pytest-django's django_capture_on_commit_callbacks: each step's outbox events (the e-mails)
    are handed over after its commit. The outbox holds only the question's e-mails afterwards."""
    body = submission(
        "payment_date_change", contract=contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    body["contact"]["email"] = contact_email
    with capture(execute=True):
        submitted = api_as(submitter).post("/api/requests/", body, format="json")
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]
    mail.outbox.clear()
    with capture(execute=True):
        asked = ask_client(api_as(staff), request_id, question)
    assert asked.status_code == 200, asked.json()
    return request_id


def reply_link_path(recipient: str) -> str:
    """The reply link of the one e-mail to `recipient`, the same in its text and HTML parts."""
    (message,) = [m for m in mail.outbox if m.to == [recipient]]
    match = LINK.search(message.body)
    assert match, message.body
    assert match.group(0) in message.alternatives[0][0]
    return f"/reply/{match.group(1)}/"
