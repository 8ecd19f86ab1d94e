"""The area of the portal a notice's or a live event's subject belongs to: one table for the bell's
selector (`selectors.visible_notices`) and the live push (`consumers.membership_may_receive`), so the two
never disagree about who may learn of a request, a thread or an invoice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model

from backend.clients.access_rules import Area
from backend.invoices.models import Invoice
from backend.messaging.models import MessageThread
from backend.requests_app.models import PortalRequest


@dataclass(frozen=True)
class SubjectArea:
    area: str
    # A subject tied to a contract is checked against the membership's contracts too (one tied to no
    # contract only its author's among limited members: access_rules.object_visible); None: the area
    # alone decides.
    contract_scoped_model: type[Model] | None
    # The column naming the user who started the subject (object_visible's author).
    author_field: str | None
    # The events about this subject: their kind starts so, and the payload key naming its id.
    kind_prefix: str
    payload_id_key: str | None


SUBJECT_AREAS: dict[str, SubjectArea] = {
    PortalRequest._meta.label_lower: SubjectArea(
        Area.REQUESTS, PortalRequest, "submitted_by_id", "request.", "request_id"
    ),
    MessageThread._meta.label_lower: SubjectArea(
        Area.MESSAGES, MessageThread, "created_by_id", "message.", "thread_id"
    ),
    Invoice._meta.label_lower: SubjectArea(Area.INVOICES, None, None, "invoice.", None),
}


def event_subject(event: dict) -> tuple[SubjectArea, object] | None:
    """The subject rule and the (unchecked) id a pushed event is about; None: every member's event."""
    for rule in SUBJECT_AREAS.values():
        if rule.payload_id_key and event.get(rule.payload_id_key):
            return rule, event[rule.payload_id_key]
    subject_type = event.get("subject_type")
    if subject_type in SUBJECT_AREAS:
        return SUBJECT_AREAS[subject_type], event.get("subject_id")
    kind = str(event.get("kind", ""))
    for rule in SUBJECT_AREAS.values():
        if kind.startswith(rule.kind_prefix):
            return rule, event.get("subject_id")
    return None
