"""Writes on requests: submit, reply, cancel, comment, upload, claim, decide.

Every status change goes through the BPMN engine (workflows.services) and its one mapping
(backend/requests_app/lifecycle.py); nothing here sets a status by hand.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.contracts.schedule import ScheduleError
from backend.core.exceptions import (
    Conflict,
    InvalidTransition,
    NotFound,
    PortalValidationError,
    TaskAlreadyClaimed,
    TaskNotReady,
)
from backend.core.models import OutboxEvent
from backend.core.services import record_outbox_event
from backend.documents.uploads import check_upload, store_bytes
from backend.requests_app.catalogue import KIND_TYPE
from backend.requests_app.effects import CLIENT_DATA_FIELDS, PREVIOUS_VALUES_KEY
from backend.requests_app.lifecycle import event_payload, stepping
from backend.requests_app.models import (
    OPEN_STATUSES,
    PortalRequest,
    RequestAttachment,
    RequestEvent,
    RequestKind,
    RequestNumberSequence,
    RequestStatus,
)
from workflows import services as workflow_services
from workflows.incidents import records_incidents


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"

    def default_message(self) -> str:
        return _("This Idempotency-Key was already used for a different request.")


def request_fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def next_request_number(*, year: int | None = None) -> str:
    """Return the next WN/<year>/<nnnnnn>; the counter row is locked, so concurrent submits never collide."""
    year = year or timezone.localdate().year
    if not RequestNumberSequence.objects.filter(year=year).update(last=F("last") + 1):
        # The year's first request: create its counter (a concurrent first submit may win; then count on).
        try:
            with transaction.atomic():
                RequestNumberSequence.objects.create(year=year, last=1)
                return f"WN/{year}/{1:06d}"
        except IntegrityError:
            RequestNumberSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = RequestNumberSequence.objects.filter(year=year).values_list("last", flat=True).get()
    return f"WN/{year}/{last:06d}"


def upload_attachment(*, user: User, client: Client, uploaded) -> RequestAttachment:
    """Check the file by content and keep it; it is bound to a request or message when that is sent."""
    checked = check_upload(uploaded, name=getattr(uploaded, "name", ""))
    path = store_bytes(checked.content, folder="request_attachments", extension=checked.kind)
    return RequestAttachment.objects.create(
        client=client,
        uploaded_by=user,
        file=path,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )


def _bind_attachments(
    *,
    client: Client | int,
    user: User,
    ids: list[int],
    portal_request: PortalRequest,
    event: RequestEvent | None,
) -> list[RequestAttachment]:
    if not ids:
        return []
    attachments = list(
        RequestAttachment.objects.select_for_update().filter(
            pk__in=ids, client=client, uploaded_by=user, request__isnull=True
        )
    )
    if len(attachments) != len(set(ids)):
        message = _("One of the attachments does not exist or is already used.")
        raise PortalValidationError(message, fields={"attachment_ids": [message]})
    RequestAttachment.objects.filter(pk__in=[a.pk for a in attachments]).update(
        request=portal_request, event=event
    )
    return attachments


def _record_message(
    portal_request: PortalRequest,
    *,
    kind: str,
    user: User,
    message: str,
    attachment_ids: list[int] | None = None,
    data: dict | None = None,
) -> RequestEvent:
    event = RequestEvent.objects.create(
        request=portal_request,
        kind=kind,
        author=RequestEvent.Author.CLIENT if user.is_client_user else RequestEvent.Author.STAFF,
        actor=user,
        stage=portal_request.stage,
        message=message,
        data=data or {},
    )
    _bind_attachments(
        client=portal_request.client_id,
        user=user,
        ids=attachment_ids or [],
        portal_request=portal_request,
        event=event,
    )
    return event


def find_idempotent_request(*, user: User, client: Client, idempotency_key: str) -> PortalRequest | None:
    """Return the request this user already submitted for this client with the key, if still a member."""
    if not idempotency_key:
        return None
    return PortalRequest.objects.filter(
        submitted_by=user,
        client=client,
        client__memberships__user=user,  # access re-checked: a revoked membership finds nothing
        idempotency_key=idempotency_key,
    ).first()


@records_incidents
def submit_request(
    *,
    user: User,
    client: Client,
    kind: str,
    contract: Contract | None,
    contact: dict,
    declarations: list[str],
    data: dict,
    attachment_ids: list[int],
    idempotency_key: str = "",
    fingerprint: str = "",
) -> tuple[PortalRequest, bool]:
    """Create the request and start its process; a retried key returns the first request (created=False).

    A key is scoped to (user, acting client): the same key sent for another client is another request,
    and a replay never returns a request of a client the user no longer belongs to.
    """
    if idempotency_key:
        existing = find_idempotent_request(user=user, client=client, idempotency_key=idempotency_key)
        if existing is not None:
            if existing.idempotency_fingerprint != fingerprint:
                raise IdempotencyKeyReused()
            return existing, False
    try:
        with transaction.atomic():
            return _submit(
                user=user,
                client=client,
                kind=kind,
                contract=contract,
                contact=contact,
                declarations=declarations,
                data=data,
                attachment_ids=attachment_ids,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
            ), True
    except IntegrityError:
        existing = find_idempotent_request(user=user, client=client, idempotency_key=idempotency_key)
        if not idempotency_key or existing is None:
            raise
        if existing.idempotency_fingerprint != fingerprint:
            raise IdempotencyKeyReused() from None
        return existing, False


def _submit(
    *, user, client, kind, contract, contact, declarations, data, attachment_ids, idempotency_key, fingerprint
):
    if kind == RequestKind.CLIENT_DATA_CHANGE:
        # The values being replaced, as they are now: staff compare old → new, and after approval the
        # client's record no longer holds them.
        data = {**data, PREVIOUS_VALUES_KEY: {f: getattr(client, f) for f in CLIENT_DATA_FIELDS if f in data}}
    portal_request = PortalRequest.objects.create(
        number=next_request_number(),
        type=KIND_TYPE[kind],
        kind=kind,
        client=client,
        contract=contract,
        submitted_by=user,
        contact_name=contact["name"],
        contact_phone=contact["phone"],
        contact_email=contact["email"],
        declarations=declarations,
        form_data=data,
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint,
    )
    _bind_attachments(client=client, user=user, ids=attachment_ids, portal_request=portal_request, event=None)
    instance, result = workflow_services.start_process(
        process_key=kind, data={"request_id": portal_request.pk, "kind": kind}, actor=user
    )
    PortalRequest.objects.filter(pk=portal_request.pk).update(process_instance=instance)
    portal_request.process_instance = instance
    with stepping(portal_request):
        workflow_services.notify_started(instance, result, actor=user)
    return portal_request


def _lock_request(portal_request: PortalRequest) -> PortalRequest:
    """Lock and read the request; a client's write (client_id set) finds only that client's request."""
    queryset = PortalRequest.objects.select_for_update().filter(pk=portal_request.pk)
    if portal_request.client_id is not None:
        queryset = queryset.filter(client_id=portal_request.client_id)
    try:
        return queryset.get()
    except PortalRequest.DoesNotExist:
        raise NotFound() from None


@records_incidents
@transaction.atomic
def reply_to_request(
    *,
    user: User,
    portal_request: PortalRequest,
    message: str,
    attachment_ids: list[int],
    task_id=None,
    event_data: dict | None = None,
) -> PortalRequest:
    """Send the client's answer to staff: completes the client's task, the request returns to review.

    `event_data` goes on the reply's history row (e.g. that it came through an e-mail reply link).
    """
    locked = _lock_request(portal_request)
    if locked.status != RequestStatus.WAITING_FOR_CLIENT or locked.process_instance_id is None:
        raise TaskNotReady()
    _record_message(
        locked,
        kind=RequestEvent.Kind.REPLY,
        user=user,
        message=message,
        attachment_ids=attachment_ids,
        data=event_data,
    )
    with stepping(locked):
        workflow_services.complete_task(
            instance_id=locked.process_instance_id,
            task_id=task_id,
            data={"message": message, "attachment_ids": attachment_ids},
            lane="Client",
            actor=user,
            action="reply",
        )
    return locked


@transaction.atomic
def cancel_request(*, user: User, portal_request: PortalRequest) -> PortalRequest:
    """Withdraw an undecided request."""
    locked = _lock_request(portal_request)
    if locked.status not in OPEN_STATUSES or locked.process_instance_id is None:
        raise InvalidTransition()
    with stepping(locked):
        workflow_services.cancel_process(instance_id=locked.process_instance_id, actor=user)
    return locked


@transaction.atomic
def add_comment(
    *, user: User, portal_request: PortalRequest, message: str, attachment_ids: list[int]
) -> RequestEvent:
    locked = _lock_request(portal_request)
    event = _record_message(
        locked, kind=RequestEvent.Kind.COMMENT, user=user, message=message, attachment_ids=attachment_ids
    )
    record_outbox_event(
        kind=OutboxEvent.Kind.REQUEST_COMMENT,
        subject=locked,
        client_id=locked.client_id,
        payload={
            **event_payload(
                locked, waiting_for=locked.process_instance.waiting_for if locked.process_instance else ""
            ),
            "event_id": event.pk,
            "author": event.author,
        },
    )
    return event


# --------------------------------------------------------------------------------------------------
# Staff


def _claimed_by_other(portal_request: PortalRequest, staff: User) -> bool:
    return portal_request.assignee_id is not None and portal_request.assignee_id != staff.pk


@transaction.atomic
def claim_request(*, staff: User, portal_request: PortalRequest) -> PortalRequest:
    """Take the request's staff task; exactly one of two concurrent claims wins."""
    locked = _lock_request(portal_request)
    if locked.status != RequestStatus.IN_REVIEW:
        raise TaskNotReady()
    updated = PortalRequest.objects.filter(pk=locked.pk, assignee__isnull=True).update(assignee=staff)
    if not updated:
        locked.refresh_from_db()
        if locked.assignee_id != staff.pk:
            raise TaskAlreadyClaimed(
                _("The task is already claimed by %(name)s.") % {"name": locked.assignee or "?"}
            )
        return locked
    locked.assignee = staff
    RequestEvent.objects.create(
        request=locked,
        kind=RequestEvent.Kind.CLAIMED,
        author=RequestEvent.Author.STAFF,
        actor=staff,
        stage=locked.stage,
    )
    return locked


@transaction.atomic
def unclaim_request(*, staff: User, portal_request: PortalRequest) -> PortalRequest:
    """Release the staff member's own claim on an undecided request.

    A decided (or cancelled) request keeps its assignee, the person who decided it, and gets no history
    row the client would see: releasing it is refused.
    """
    locked = _lock_request(portal_request)
    if locked.status not in OPEN_STATUSES:
        raise InvalidTransition(_("A decided or closed request cannot be released."))
    if _claimed_by_other(locked, staff):
        raise TaskAlreadyClaimed(_("The task is already claimed by %(name)s.") % {"name": locked.assignee})
    if locked.assignee_id is None:
        return locked
    PortalRequest.objects.filter(pk=locked.pk, assignee=staff).update(assignee=None)
    locked.assignee = None
    RequestEvent.objects.create(
        request=locked,
        kind=RequestEvent.Kind.UNCLAIMED,
        author=RequestEvent.Author.STAFF,
        actor=staff,
        stage=locked.stage,
    )
    return locked


@records_incidents
@transaction.atomic
def complete_staff_task(
    *,
    staff: User,
    portal_request: PortalRequest,
    data: dict,
    task_id=None,
    attachment_ids: list[int] | None = None,
) -> PortalRequest:
    """Complete the staff review with the form data: approve, reject with a reason, or ask the client."""
    locked = _lock_request(portal_request)
    if locked.status != RequestStatus.IN_REVIEW or locked.process_instance_id is None:
        raise TaskNotReady()
    if _claimed_by_other(locked, staff):
        raise TaskAlreadyClaimed(_("The task is already claimed by %(name)s.") % {"name": locked.assignee})
    if locked.assignee_id is None:
        PortalRequest.objects.filter(pk=locked.pk).update(assignee=staff)
        locked.assignee = staff
    decision = data.get("decision")
    if decision == "ask_client":
        _record_message(
            locked,
            kind=RequestEvent.Kind.QUESTION,
            user=staff,
            message=data.get("question", ""),
            attachment_ids=attachment_ids,
        )
    elif decision in {"approve", "reject"}:
        _record_message(
            locked,
            kind=RequestEvent.Kind.DECISION,
            user=staff,
            message=data.get("reason") or data.get("answer") or data.get("comment", ""),
            attachment_ids=attachment_ids,
            data={"decision": decision},
        )
    try:
        with stepping(locked):
            workflow_services.complete_task(
                instance_id=locked.process_instance_id,
                task_id=task_id,
                data=data,
                lane="Staff",
                actor=staff,
                action=decision or "complete",
            )
    except ScheduleError as exc:
        # The change cannot be applied any more (e.g. installments were paid since the submit).
        raise PortalValidationError(str(exc), fields={"decision": [str(exc)]}) from exc
    return locked
