"""Revoke an issued permit (staff): one action shared by the staff request page and the API.

The reason is required; the request's history tells the client (a staff comment, with its notice and
e-mail through the outbox), the audit log records who and why, and the public verification page then
says the permit is revoked.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from backend.accounts.models import User
from backend.core.exceptions import InvalidTransition, NotFound, PortalValidationError
from backend.core.filters import parse_id
from backend.core.services import record_audit
from backend.permits.models import VehiclePermit
from backend.requests_app import history, outbox

REASON_MAX_LENGTH = 2000
# The client reads the reason (and so may an officer checking the permit): a word or two is no reason,
# as for a complaint's extension or a second-factor reset.
REASON_MIN_LENGTH = 10


class PermitAlreadyRevoked(InvalidTransition):
    """A revoked permit stays revoked: a second revocation is refused."""


@transaction.atomic
def revoke_permit(
    *, staff: User, request_id: int, reason: str, http_request: HttpRequest | None = None
) -> VehiclePermit:
    """Revoke the permit issued for the request; refuse without a reason or when already revoked."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason of the revocation.")
        raise PortalValidationError(message, fields={"reason": [message]})
    if len(reason) > REASON_MAX_LENGTH:
        message = _("The reason is too long.")
        raise PortalValidationError(message, fields={"reason": [message]})
    if parse_id(request_id) is None:  # beyond a database id (a foreign key lookup would overflow)
        raise NotFound()
    permit = (
        VehiclePermit.objects.select_for_update()
        .select_related("request")
        .filter(request_id=request_id)
        .first()
    )
    if permit is None:
        raise NotFound()
    if len(reason) < REASON_MIN_LENGTH:
        message = _("Say why in at least %(count)d characters: the client reads the reason.") % {
            "count": REASON_MIN_LENGTH
        }
        raise PortalValidationError(message, fields={"reason": [message]})
    if permit.status == VehiclePermit.Status.REVOKED:
        raise PermitAlreadyRevoked(_("The permit has already been revoked."))
    permit.status = VehiclePermit.Status.REVOKED
    permit.revoked_at, permit.revoked_by, permit.revocation_reason = timezone.now(), staff, reason
    permit.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    portal_request = permit.request
    with override("pl"):  # the history's texts are Polish like the other staff answers
        message = _("The permit to take the vehicle abroad has been revoked. Reason: %(reason)s") % {
            "reason": reason
        }
    comment = history.comment_added(portal_request, user=staff, message=message)
    outbox.comment_added(portal_request, comment, waiting_for="")
    record_audit(
        action="permit.revoked",
        request=http_request,
        user=staff,
        request_id=portal_request.pk,
        permit_id=permit.pk,
        reason=reason,
        before={"status": VehiclePermit.Status.VALID},
        after={"status": VehiclePermit.Status.REVOKED},
    )
    return permit
