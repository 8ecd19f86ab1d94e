"""Request actions: submit, reply, cancel, comment, upload, decide. One function per action (who holds a
staff task: task_hands.py).

Each action that steps the process reads top to bottom: lock the request (scoped to the acting client),
call the engine facade (workflows.services, which locks and saves the instance), apply the step's
result to the request (lifecycle.apply_step: FSM transition and timestamps), then write the history
rows (history.py) and the outbox events (outbox.py) of each status change, all in one transaction.
Nothing here sets a status by hand.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.contracts.schedule import ScheduleError
from backend.contracts.selectors import lock_contract
from backend.core.exceptions import (
    Conflict,
    InvalidTransition,
    PortalValidationError,
    RequestClosed,
    TaskAlreadyClaimed,
    TaskNotReady,
)
from backend.core.prepared_writes import insert_rows
from backend.documents.uploads import check_upload, one_per_content, stored_upload
from backend.drafts.services import discard_draft
from backend.requests_app import history, lifecycle, outbox, price_conversion, task_notes
from backend.requests_app.buyout_effects import release_quote_of_ended_request
from backend.requests_app.catalogue import KIND_TYPE, KINDS_CHANGING_CONTRACT
from backend.requests_app.change_plans import (
    CHANGED_FIGURES,
    CLIENT_DATA_FIELDS,
    PREVIOUS_VALUES_KEY,
    contract_figures,
)
from backend.requests_app.client_waits import stale_reply_refusal
from backend.requests_app.complaints import process_start_data, refuse_late_question
from backend.requests_app.locking import claimed_by_other, lock_request
from backend.requests_app.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    PortalRequest,
    RequestAttachment,
    RequestEvent,
    RequestKind,
    RequestStatus,
)
from backend.requests_app.numbering import next_request_number
from backend.requests_app.validation import contract_refusal
from workflows import services as workflow_services
from workflows.incidents import records_incidents
from workflows.models import ProcessInstance


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"

    def default_message(self) -> str:
        return _("This Idempotency-Key was already used for a different request.")


def request_fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def upload_attachment(*, user: User, client: Client, uploaded) -> RequestAttachment:
    """Check the file by content and keep it; it is bound to a request or message when that is sent."""
    checked = check_upload(uploaded, name=getattr(uploaded, "name", ""))
    with stored_upload(checked, folder="request_attachments") as fields:
        return RequestAttachment.objects.create(client=client, uploaded_by=user, **fields)


def _bind_attachments(
    *,
    client: Client | int,
    user: User,
    ids: list[int] | None,
    portal_request: PortalRequest,
    event: RequestEvent | None,
) -> list[RequestAttachment]:
    """Bind the user's unused uploads to the request (and its history row); the bound ones, in `ids` order.

    The same content twice in one step is bound once, the first of it: a form sent back with its earlier
    upload kept, the same file then chosen again, attached it twice. The other copy stays unused and goes
    with the unused uploads (backend/documents/unused_uploads.py).
    """
    if not ids:
        return []
    attachments = {
        attachment.pk: attachment
        for attachment in RequestAttachment.objects.select_for_update().filter(
            pk__in=ids, client=client, uploaded_by=user, request__isnull=True
        )
    }
    if len(attachments) != len(set(ids)):
        message = _("One of the attachments does not exist or is already used.")
        raise PortalValidationError(message, fields={"attachment_ids": [message]})
    bound = one_per_content(attachments[pk] for pk in ids)
    RequestAttachment.objects.filter(pk__in=[a.pk for a in bound]).update(request=portal_request, event=event)
    return bound


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


def previous_request(
    *, user: User, client: Client, idempotency_key: str, fingerprint: str | None
) -> PortalRequest | None:
    """The request an earlier post with this key made, or None; the key sent with another body (a
    `fingerprint` that differs; None checks none) is refused with IdempotencyKeyReused."""
    existing = find_idempotent_request(user=user, client=client, idempotency_key=idempotency_key)
    if existing is not None and fingerprint is not None and existing.idempotency_fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return existing


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
    existing = previous_request(
        user=user, client=client, idempotency_key=idempotency_key, fingerprint=fingerprint
    )
    if existing is not None:
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
    except (IntegrityError, PortalValidationError):
        # The same key committed by a parallel post first: the key's unique constraint, or the refusal its
        # request causes under the contract's lock (one open request of a kind). Answer the first request.
        existing = previous_request(
            user=user, client=client, idempotency_key=idempotency_key, fingerprint=fingerprint
        )
        if existing is None:
            raise
        return existing, False


def _submit(
    *, user, client, kind, contract, contact, declarations, data, attachment_ids, idempotency_key, fingerprint
) -> PortalRequest:
    if contract is not None and kind in KINDS_CHANGING_CONTRACT:
        # Checked again under the contract's lock, which a second submit on the same contract waits for:
        # two submits at once cannot both find no open request of the kind.
        contract = lock_contract(contract.pk)
        refusal = contract_refusal(kind, contract)
        if refusal:
            raise PortalValidationError(refusal, fields={"contract_id": [refusal]})
    if kind == RequestKind.CLIENT_DATA_CHANGE:
        # The values being replaced, as they are now: staff compare old → new, and after approval the
        # client's record no longer holds them.
        data = {**data, PREVIOUS_VALUES_KEY: {f: getattr(client, f) for f in CLIENT_DATA_FIELDS if f in data}}
    elif kind in CHANGED_FIGURES:
        # What it changes from (the day, the value, the period…): after approval the contract holds the new.
        data = {**data, PREVIOUS_VALUES_KEY: contract_figures(contract, kind)}
    portal_request = PortalRequest(
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
    insert_rows([portal_request])  # save() as one prepared INSERT (core/prepared_writes.py)
    _bind_attachments(client=client, user=user, ids=attachment_ids, portal_request=portal_request, event=None)
    # Before the process starts: rows its first step's service tasks write (a permit's failed rule) follow it.
    history.submitted(portal_request, actor=user)
    instance, step = workflow_services.start_process(
        process_key=kind,
        # A complaint's process also starts with its statutory clock (backend/requests_app/complaints.py).
        data={"request_id": portal_request.pk, "kind": kind, **process_start_data(portal_request)},
    )
    changes = lifecycle.apply_step(portal_request, step, instance=instance)  # also stores the instance id
    history.stages_changed(portal_request, changes, actor=user)
    outbox.submitted(portal_request, changes, waiting_for=step.waiting_for, actor=user)
    return portal_request


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
    outside_contact: bool = False,
) -> PortalRequest:
    """Send the client's answer to staff: completes the client's task, the request returns to review.

    `event_data` goes on the reply's history row (e.g. that it came through an e-mail reply link).
    `outside_contact`: the answer is the request's contact person's, who has no portal account (a reply
    link; `event_data` names the address): the history names that address, no user, so the submitter is
    told of the stage change like of anyone else's; `user` (whose access the link follows) is not the author.
    """
    locked = lock_request(portal_request)
    if locked.status != RequestStatus.WAITING_FOR_CLIENT or locked.process_instance_id is None:
        raise stale_reply_refusal(locked)
    author = None if outside_contact else user
    reply = history.client_replied(locked, user=author, message=message, data=event_data)
    # The reply is sent, whether from the page or the API: its saved draft is no longer needed.
    discard_draft(user=user, client=locked.client_id, form_key=f"request:reply:{locked.pk}")
    bound = _bind_attachments(
        client=locked.client_id, user=user, ids=attachment_ids, portal_request=locked, event=reply
    )
    instance, step = workflow_services.complete_task(
        instance_id=locked.process_instance_id,
        task_id=task_id,
        data={"message": message, "attachment_ids": [a.pk for a in bound]},
        lane="Client",
        action="reply",
        subject=locked,  # the service tasks of the step read this request, not the row again
    )
    changes = lifecycle.apply_step(locked, step, instance=instance)
    history.stages_changed(
        locked, changes, actor=author, outside_contact=(event_data or {}) if outside_contact else None
    )
    outbox.statuses_changed(locked, changes, waiting_for=step.waiting_for, actor=author)
    return locked


@transaction.atomic
def cancel_request(*, user: User, portal_request: PortalRequest) -> PortalRequest:
    """Withdraw an undecided request."""
    locked = lock_request(portal_request)
    if locked.status not in OPEN_STATUSES or locked.process_instance_id is None:
        raise InvalidTransition()
    instance, step = workflow_services.cancel_process(instance_id=locked.process_instance_id)
    release_quote_of_ended_request(locked)  # a withdrawn buyout request frees its quote at once
    changes = lifecycle.apply_step(locked, step, instance=instance)
    history.stages_changed(locked, changes, actor=user)
    outbox.statuses_changed(locked, changes, waiting_for=step.waiting_for, actor=user)
    return locked


@transaction.atomic
def add_comment(
    *, user: User, portal_request: PortalRequest, message: str, attachment_ids: list[int]
) -> RequestEvent:
    """A comment: no step. A client's on an ended request is refused: no task is left to pick it up."""
    locked = lock_request(portal_request)
    if locked.status in CLOSED_STATUSES and not user.is_back_office:
        raise RequestClosed()
    comment = history.comment_added(locked, user=user, message=message)
    # Sent, from the page or the API: its draft goes.
    discard_draft(user=user, client=locked.client_id, form_key=f"request:comment:{locked.pk}")
    _bind_attachments(
        client=locked.client_id, user=user, ids=attachment_ids, portal_request=locked, event=comment
    )
    outbox.comment_added(locked, comment, waiting_for=_waiting_for(locked))
    return comment


def _waiting_for(portal_request: PortalRequest) -> str:
    """Whom the request's process waits for, read from the instance row alone (not its engine state)."""
    if portal_request.process_instance_id is None:
        return ""
    instance = ProcessInstance.objects.filter(pk=portal_request.process_instance_id)
    return instance.values_list("waiting_for", flat=True).first() or ""


# --------------------------------------------------------------------------------------------------
# Staff


def complete_staff_task(
    *,
    staff: User,
    portal_request: PortalRequest,
    data: dict,
    task_id=None,
    attachment_ids: list[int] | None = None,
    exchange_rate: Decimal | None = None,
    contract_rate: Decimal | None = None,
    rate_date: date | None = None,
) -> PortalRequest:
    """Complete the staff review with the form data: approve, reject with a reason, or ask the client.
    An approval converts a price in another currency than the contract's at the NBP rates `exchange_rate`
    (and `contract_rate`, EUR↔CHF) of `rate_date` (price_conversion.py), from approve/ or complete/ alike.

    Refused because someone got there first (409): the message says who took, asked or decided it, and when.

    The returned request's `claimed_in_step` says whether this step claimed the unclaimed task for `staff`
    (False: they held it already): the page and the API tell the staff member so without reading it again.
    """
    try:
        return _complete_staff_task(
            staff=staff,
            portal_request=portal_request,
            data=data,
            task_id=task_id,
            attachment_ids=attachment_ids,
            exchange_rate=exchange_rate,
            contract_rate=contract_rate,
            rate_date=rate_date,
        )
    except Conflict as exc:
        raise task_notes.explained(exc, request_id=portal_request.pk, staff=staff) from exc


@records_incidents
@transaction.atomic
def _complete_staff_task(
    *,
    staff: User,
    portal_request: PortalRequest,
    data: dict,
    task_id=None,
    attachment_ids: list[int] | None = None,
    exchange_rate: Decimal | None = None,
    contract_rate: Decimal | None = None,
    rate_date: date | None = None,
) -> PortalRequest:
    locked = lock_request(portal_request)
    if locked.status != RequestStatus.IN_REVIEW or locked.process_instance_id is None:
        raise TaskNotReady()
    if claimed_by_other(locked, staff):
        raise TaskAlreadyClaimed(_("The task is already claimed by %(name)s.") % {"name": locked.assignee})
    claims = locked.assignee_id is None  # the first decision claims the task in the step's UPDATE
    saved = {"assignee_id"} if claims else set()
    if claims:
        locked.assignee = staff
    decision = data.get("decision")
    # An approval's foreign price enters the contract converted at the staff's NBP rates: kept on the
    # request, where the approval's service task (effects.apply_contract_value_change) reads it in this
    # step. Rates no approval takes are refused at their field, never ignored.
    conversion = price_conversion.record_conversion(
        locked,
        decision=decision,
        exchange_rate=exchange_rate,
        contract_rate=contract_rate,
        rate_date=rate_date,
    )
    if conversion is not None:
        saved.add("form_data")
    message_row = None
    if decision == "ask_client":
        refuse_late_question(locked)  # a complaint's reply must leave staff time before its deadline
        message_row = history.question_asked(locked, staff=staff, question=data.get("question", ""))
    elif decision in {"approve", "reject"}:
        # The reason or the answer, and the comment under it: both are staff's words to the client.
        said = [data.get("reason") or data.get("answer") or "", data.get("comment") or ""]
        message = "\n\n".join(text.strip() for text in said if text and text.strip())
        message_row = history.decision_recorded(
            locked, staff=staff, decision=decision, message=message, conversion=conversion
        )
    if message_row is not None:
        _bind_attachments(
            client=locked.client_id, user=staff, ids=attachment_ids, portal_request=locked, event=message_row
        )
    try:
        instance, step = workflow_services.complete_task(
            instance_id=locked.process_instance_id,
            task_id=task_id,
            data=data,
            lane="Staff",
            action=decision or "complete",
            subject=locked,  # the service tasks of the step read this request, not the row again
        )
    except ScheduleError as exc:
        # The change cannot be applied any more (e.g. installments were paid since the submit); with a
        # converted price, the amount its rate gives.
        field = "exchange_rate" if conversion else "decision"
        raise PortalValidationError(str(exc), fields={field: [str(exc)]}) from exc
    changes = lifecycle.apply_step(locked, step, instance=instance, also=saved)
    history.stages_changed(locked, changes, actor=staff)
    outbox.statuses_changed(locked, changes, waiting_for=step.waiting_for, actor=staff)
    locked.claimed_in_step = claims  # the caller's word to the staff member (see complete_staff_task)
    return locked
