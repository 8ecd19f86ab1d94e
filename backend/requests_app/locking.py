"""The locked read every request write starts with, scoped to the acting client, and who holds the task."""

from __future__ import annotations

from backend.accounts.models import User
from backend.core.exceptions import NotFound
from backend.core.prepared_reads import PreparedRead
from backend.requests_app.models import PortalRequest

# Every step starts here: compiled once per connection (backend/core/prepared_reads.py).
_LOCKED_REQUEST = PreparedRead(
    lambda pk: PortalRequest.objects.select_for_update().filter(pk=pk)[:1], ints=("pk",)
)
_LOCKED_CLIENT_REQUEST = PreparedRead(
    lambda pk, client_id: PortalRequest.objects.select_for_update().filter(pk=pk, client_id=client_id)[:1],
    ints=("pk", "client_id"),
)


def lock_request(portal_request: PortalRequest) -> PortalRequest:
    """Lock and read the request; a client's write (client_id set) finds only that client's request."""
    if portal_request.client_id is None:
        locked = _LOCKED_REQUEST.first(pk=portal_request.pk)
    else:
        locked = _LOCKED_CLIENT_REQUEST.first(pk=portal_request.pk, client_id=portal_request.client_id)
    if locked is None:
        raise NotFound()
    return locked


def claimed_by_other(portal_request: PortalRequest, staff: User) -> bool:
    """Whether another staff member holds the request's task."""
    return portal_request.assignee_id is not None and portal_request.assignee_id != staff.pk
