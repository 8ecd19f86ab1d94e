from __future__ import annotations

import pytest

from backend.core.models import OutboxEvent


def _ensure_request(*, client, request_id: int, contact_email: str | None, waiting: bool = False) -> None:
    """Make the request an event names (submitted by the client's first user), unless its id is taken;
    `waiting`: it waits for the client's reply, as a "we are waiting" e-mail needs it to when it goes."""
    from backend.accounts.models import User
    from backend.requests_app.models import PortalRequest, RequestKind, RequestType

    submitter = User.objects.filter(memberships__client=client).order_by("id").first()
    if submitter is None or PortalRequest.objects.filter(pk=request_id).exists():
        return
    PortalRequest.objects.create(
        pk=request_id,
        number=f"WN/2026/{request_id:06d}",
        type=RequestType.OTHER,
        kind=RequestKind.OTHER_REQUEST,
        client=client,
        submitted_by=submitter,
        contact_name="Anna Kowalska",
        contact_phone="+48 600 100 200",
        contact_email=contact_email or submitter.email,
        stage="Weryfikacja",
        status="waiting_for_client" if waiting else "submitted",
    )


@pytest.fixture
def make_event(db):
    """Return a factory of committed-looking outbox rows, as helper B's and C's services write them.

    A request event comes with its request, submitted by the client's first user, who is also its contact
    person unless `contact_email` names another: e-mails go to the people a request concerns.
    """

    def make(
        kind=OutboxEvent.Kind.REQUEST_STAGE_CHANGED,
        *,
        client,
        request_id=501,
        contact_email=None,
        **payload,
    ):
        defaults = {
            "request_id": request_id,
            "number": "WN/2026/000501",
            "stage": "Weryfikacja",
            "status": "in_progress",
        }
        if kind == OutboxEvent.Kind.INVOICE_ISSUED:
            defaults = {}
        else:
            waiting = kind in {OutboxEvent.Kind.REQUEST_WAITING_FOR_CLIENT, OutboxEvent.Kind.REQUEST_REMINDER}
            waiting = waiting or payload.get("status") == "waiting_for_client"
            _ensure_request(
                client=client, request_id=request_id, contact_email=contact_email, waiting=waiting
            )
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
