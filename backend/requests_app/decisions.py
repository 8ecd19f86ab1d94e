"""The staff decision on a request: ask the client, approve or reject; one service for page and API.

The staff review task of every request type takes the same form (bpmn/forms/*/staff_review.json):
`decision` plus the question, the answer and comment, or the reason. This module is the one place that
maps a decision and its texts to that form's data.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from rest_framework import serializers

from backend.accounts.models import User
from backend.clients.models import Client
from backend.requests_app import selectors, services
from backend.requests_app.inputs import (
    StaffApproveInputSerializer,
    StaffAskInputSerializer,
    StaffRejectInputSerializer,
)
from backend.requests_app.models import PortalRequest


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
) -> PortalRequest:
    """Complete the staff review of the request with the decision; returns the request after the step.

    `client` scopes the request's locked read (None: the back office sees every client's request).
    """
    decision = Decision(decision)
    return services.complete_staff_task(
        staff=actor,
        portal_request=selectors.request_ref(request_id=request_id, client=client),
        data=decision_data(decision, question=question, answer=answer, comment=comment, reason=reason),
        task_id=task_id,
        attachment_ids=list(attachment_ids or []),
    )
