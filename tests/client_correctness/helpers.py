"""Shared helpers of the correctness tests: logged-in page clients and the visible text of a page."""

from __future__ import annotations

import html
import re

from tests.requests_app.helpers import all_declarations, contact, submission  # noqa: F401

NBSP = "\u00a0"


def visible_text(body: str) -> str:
    """The page's text as a user reads it: no tags, attributes, scripts or JSON islands."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body)


def submit_and_approve(api_as, client_user, bok_staff, kind: str, *, contract, data: dict) -> dict:
    """Submit a request through the client's API and approve it through the staff's; its JSON."""
    submitted = api_as(client_user).post(
        "/api/requests/", submission(kind, contract=contract, data=data), format="json"
    )
    assert submitted.status_code == 201, submitted.json()
    approved = api_as(bok_staff).post(
        f"/api/staff/requests/{submitted.json()['id']}/approve/", {}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    return approved.json()
