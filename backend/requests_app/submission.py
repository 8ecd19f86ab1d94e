"""Submitting a new request: the one path of the wizard page and of POST /api/requests/.

Both validate with RequestSubmitInputSerializer, look for a retry of the same post first and then call
services.submit_request with the validated input.
"""

from __future__ import annotations

from backend.accounts.models import User
from backend.clients.models import Client
from backend.drafts.services import discard_draft
from backend.requests_app import services
from backend.requests_app.models import PortalRequest


def previous_submit(
    *, user: User, client: Client, idempotency_key: str, fingerprint: str | None = None
) -> PortalRequest | None:
    """The request an earlier post with this key made (a retry, a double click, a reload), or None.

    Looked up before the input is validated or files are stored, so a retry is answered with the first
    request and stores nothing. With a `fingerprint` (the API's body), a key reused for another body is
    refused (409 idempotency_key_reused); the page's reload re-sends its files, so it passes none.
    """
    return services.previous_request(
        user=user, client=client, idempotency_key=idempotency_key, fingerprint=fingerprint
    )


def submit_validated(
    *, user: User, client: Client, validated: dict, idempotency_key: str = "", fingerprint: str = ""
) -> tuple[PortalRequest, bool]:
    """Submit the request RequestSubmitInputSerializer validated; (request, created) as the service says.

    The user's saved draft of this kind's form (backend/drafts) is discarded once the request is sent,
    whichever way it was sent.
    """
    portal_request, created = services.submit_request(
        user=user,
        client=client,
        kind=validated["kind"],
        contract=validated["contract"],
        contact=dict(validated["contact"]),
        declarations=validated["declarations"],
        data=validated["data"],
        attachment_ids=validated["attachment_ids"],
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )
    discard_draft(user=user, client=client, form_key=f"request:{validated['kind']}")
    return portal_request, created
