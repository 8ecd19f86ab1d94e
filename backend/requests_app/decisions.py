"""The staff decision on a request: ask the client, approve, reject, or extend a complaint's deadline;
one service each for page and API.

The staff review task of every request type takes the same form (bpmn/forms/*/staff_review.json):
`decision` plus the question, the answer and comment, or the reason. This module is the one place that
maps a decision and its texts to that form's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from django.utils.translation import gettext as _
from rest_framework import serializers

from backend.accounts.models import User
from backend.clients.models import Client
from backend.core.exceptions import NotFound, PortalValidationError
from backend.requests_app import selectors, services
from backend.requests_app.inputs import (
    StaffApproveInputSerializer,
    StaffAskInputSerializer,
    StaffRejectInputSerializer,
)
from backend.requests_app.models import PortalRequest, RequestKind, RequestStatus
from workflows.forms import min_length, missing_required
from workflows.models import ProcessInstance
from workflows.services import get_task_form


class Decision(StrEnum):
    ASK_CLIENT = "ask_client"
    APPROVE = "approve"
    REJECT = "reject"


# The input each decision takes, the same for the staff page and the API.
DECISION_INPUTS: dict[Decision, type[serializers.Serializer]] = {
    Decision.ASK_CLIENT: StaffAskInputSerializer,
    Decision.APPROVE: StaffApproveInputSerializer,
    Decision.REJECT: StaffRejectInputSerializer,
}


def decision_data(
    decision: Decision, *, question: str = "", answer: str = "", comment: str = "", reason: str = ""
) -> dict[str, str]:
    """The staff review form's data of a decision; empty optional texts are left out, not sent blank."""
    data = {"decision": str(decision)}
    texts = {
        Decision.ASK_CLIENT: {"question": question},
        Decision.APPROVE: {"answer": answer, "comment": comment},
        Decision.REJECT: {"reason": reason},
    }[decision]
    data.update({name: text for name, text in texts.items() if text})
    return data


def staff_decision_waits(portal_request: PortalRequest) -> bool:
    """Whether staff can decide the request now: it is in review and its process waits for staff, not
    suspended (workflows/steps.py refuses a suspended process's steps). The task page offers its decision
    forms then, and the staff API tells what an approval would meet (approval_refusal)."""
    instance = portal_request.process_instance
    return (
        portal_request.status == RequestStatus.IN_REVIEW
        and instance is not None
        and instance.waiting_for == ProcessInstance.WaitingFor.STAFF
        and not instance.suspended
    )


# Each decision's text on the staff page: the question asked, the reason of a rejection, the answer.
DECISION_TEXTS = {Decision.ASK_CLIENT: "question", Decision.REJECT: "reason", Decision.APPROVE: "answer"}


@dataclass(frozen=True)
class DecisionFieldRules:
    """What the waiting staff task's form asks of each decision's text, for the page to say up front what
    the server would refuse: `answer_required` (an approval takes an answer: a permit issued although a
    rule failed, a complaint, another matter) and `min_lengths`, the fewest characters each text takes,
    by field (the page's `minlength`: a decision is not confirmed only to be refused)."""

    answer_required: bool = False
    min_lengths: dict[str, int] = field(default_factory=dict)


def decision_field_rules(portal_request: PortalRequest) -> DecisionFieldRules:
    """The rules of the decision texts, read once from the form the step checks the decision against
    (empty rules when staff cannot decide now: staff_decision_waits)."""
    if not staff_decision_waits(portal_request):
        return DecisionFieldRules()
    instance = portal_request.process_instance
    schema = get_task_form(instance, instance.current_task_name) if instance.current_task_name else {}
    if not schema:
        return DecisionFieldRules()
    return DecisionFieldRules(
        answer_required="answer" in missing_required(schema, decision_data(Decision.APPROVE)),
        min_lengths={
            text: min_length(schema, decision_data(decision), text)
            for decision, text in DECISION_TEXTS.items()
        },
    )


def decide_request(
    *,
    actor: User,
    request_id: int,
    decision: Decision | str,
    client: Client | None = None,
    question: str = "",
    answer: str = "",
    comment: str = "",
    reason: str = "",
    attachment_ids: list[int] | None = None,
    task_id: UUID | None = None,
    exchange_rate: Decimal | None = None,
    contract_rate: Decimal | None = None,
    rate_date: date | None = None,
) -> PortalRequest:
    """Complete the staff review of the request with the decision; returns the request after the step,
    with `claimed_in_step` (services.complete_staff_task).

    `client` scopes the request's locked read (None: the back office sees every client's request).
    `exchange_rate`, `contract_rate` and `rate_date`: an approval's conversion of a price in another currency than the
    contract's (price_conversion.py); kept on the request, not in the review form's data.
    """
    decision = Decision(decision)
    return services.complete_staff_task(
        staff=actor,
        portal_request=selectors.request_ref(request_id=request_id, client=client),
        data=decision_data(decision, question=question, answer=answer, comment=comment, reason=reason),
        task_id=task_id,
        attachment_ids=list(attachment_ids or []),
        exchange_rate=exchange_rate,
        contract_rate=contract_rate,
        rate_date=rate_date,
    )


def extend_deadline(*, staff: User, request_id: int, new_deadline: date, reason: str) -> PortalRequest:
    """Extend a complaint's answer deadline (≤ 60 days from receipt) with the reason the client is told.

    It is the complaint's staff review decision "extend": the process records it
    (complaints.extend_complaint_deadline), moves its timers and gives the review back to staff. Returns
    the request after the step, with `claimed_in_step` (services.complete_staff_task).
    """
    kind = PortalRequest.objects.filter(pk=request_id).values_list("kind", flat=True).first()
    if kind is None:
        raise NotFound()
    if kind != RequestKind.COMPLAINT:
        message = _("Only a complaint's answer deadline can be extended.")
        raise PortalValidationError(message, fields={"new_deadline": [message]})
    return services.complete_staff_task(
        staff=staff,
        portal_request=selectors.request_ref(request_id=request_id),
        data={"decision": "extend", "new_deadline": new_deadline.isoformat(), "extension_reason": reason},
    )
