from __future__ import annotations

import pytest

from backend.core.models import OutboxEvent


@pytest.fixture
def make_event(db):
    """Return a factory of committed-looking outbox rows, as helper B's and C's services write them."""

    def make(kind=OutboxEvent.Kind.REQUEST_STAGE_CHANGED, *, client, request_id=501, **payload):
        defaults = {
            "request_id": request_id,
            "number": "WN/2026/000501",
            "stage": "Weryfikacja",
            "status": "in_progress",
        }
        if kind == OutboxEvent.Kind.INVOICE_ISSUED:
            defaults = {}
        return OutboxEvent.objects.create(
            kind=kind,
            client=client,
            subject_type="invoices.invoice"
            if kind == OutboxEvent.Kind.INVOICE_ISSUED
            else "requests_app.portalrequest",
            subject_id=request_id,
            payload={**defaults, **payload},
        )

    return make


@pytest.fixture
def make_portal_request(db):
    """Return a maker of bare PortalRequest rows (no process instance): enough for access checks."""
    from backend.requests_app.models import PortalRequest, RequestKind, RequestType

    counter = iter(range(1, 10_000))

    def make(*, client, user, stage: str = "Złożony", **fields):
        return PortalRequest.objects.create(
            number=f"WN/2026/{next(counter):06d}",
            type=RequestType.OTHER,
            kind=RequestKind.OTHER_REQUEST,
            client=client,
            submitted_by=user,
            contact_name="Anna Kowalska",
            contact_phone="+48 600 100 200",
            contact_email="anna@acme.pl",
            stage=stage,
            **fields,
        )

    return make
