"""Objects of two companies for a user who belongs to both (the header's switcher)."""

from __future__ import annotations

from itertools import count

from backend.requests_app.models import PortalRequest, RequestKind, RequestType
from notifications.models import Notice

_numbers = count(900_001)


def make_request(*, client, user, contract=None, status: str = "submitted") -> PortalRequest:
    return PortalRequest.objects.create(
        number=f"WN/2026/{next(_numbers):06d}",
        type=RequestType.OTHER,
        kind=RequestKind.OTHER_REQUEST,
        client=client,
        contract=contract,
        submitted_by=user,
        contact_name="Anna Kowalska",
        contact_phone="+48 600 100 200",
        contact_email=user.email,
        stage="Weryfikacja",
        status=status,
    )


def request_notice(user, portal_request: PortalRequest) -> Notice:
    return Notice.objects.create(
        recipient=user,
        kind="request.decided",
        client=portal_request.client,
        subject_type="requests_app.portalrequest",
        subject_id=portal_request.pk,
        payload={"request_id": portal_request.pk, "number": portal_request.number, "status": "approved"},
    )
