"""REST API of requests, the back office's side: the task list, one request, claim, decisions, comments."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.views import APIView

from backend.core.pagination import PortalPagination
from backend.core.permissions import IsBackOffice
from backend.requests_app import selectors, services, task_hands
from backend.requests_app.apis.examples import (
    APPROVE_EXAMPLES,
    ASK_CLIENT_EXAMPLES,
    COMMENT_EXAMPLES,
    REJECT_EXAMPLES,
)
from backend.requests_app.apis.outputs import (
    RequestEventOutputSerializer,
    RequestStepOutputSerializer,
    StaffRequestDetailOutputSerializer,
    StaffStepOutputSerializer,
    StaffTaskOutputSerializer,
    comment_response,
    detail_response,
    staff_step_response,
    step_response,
)
from backend.requests_app.decisions import DECISION_INPUTS, Decision, decide_request
from backend.requests_app.inputs import (
    TASK_LIST_SCOPES,
    MessageInputSerializer,
    StaffApproveInputSerializer,
    StaffAskInputSerializer,
    StaffAssignInputSerializer,
    StaffCompleteInputSerializer,
    StaffRejectInputSerializer,
    StaffTaskQuerySerializer,
)
from backend.requests_app.models import RequestKind, RequestType
from backend.requests_app.selectors_task_list import list_staff_tasks
from workflows.contract import user_task_ids

# Who may call these operations and the refusals of a decision, in their descriptions.
_WHO_MAY = "Staff, analysts and administrators (others 403 `permission_denied`)"
_DECIDE_ERRORS = (
    "409 `task_not_ready` (not at this step any more, or `task_id` is not the current step's),"
    " `task_already_claimed` (another staff member holds it)"
)


class StaffTaskListApi(APIView):
    permission_classes = [IsBackOffice]
    # Paginated by hand (APIView); the attribute also documents the envelope in the schema.
    pagination_class = PortalPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=list(TASK_LIST_SCOPES),
                description="The list: waiting for staff (default), for the client's reply, every open request, "
                "every closed one (decided, completed or cancelled; newest first). "
                "Without it, a stage the client works at (client_reply) lists the requests waiting for the client.",
            ),
            OpenApiParameter("kind", str, enum=RequestKind.values, description="Request type (process)."),
            OpenApiParameter("type", str, enum=RequestType.values, description="Group of request types."),
            OpenApiParameter("stage", str, enum=user_task_ids(), description="The task the request is at."),
            OpenApiParameter(
                "contract", str, description="Part of the contract number (any text: no match, no rows)."
            ),
            OpenApiParameter("client", int),
            OpenApiParameter("due_before", OpenApiTypes.DATETIME),
            OpenApiParameter(
                "overdue",
                bool,
                description="true: only the requests past their staff due time (`is_overdue`), from the due"
                " time on (17:00 Polish time of the due day), as the dashboard counts them.",
            ),
            OpenApiParameter(
                "assignee", str, description='"me", "none" or a user id.', pattern=r"^(me|none|[0-9]+)$"
            ),
            OpenApiParameter(
                "q",
                str,
                description="Part of the request number, subject, client name, NIP, contract, or the name of"
                " the submitting user or the contact person.",
            ),
        ],
        responses=StaffTaskOutputSerializer(many=True),
        operation_id="staff_tasks_list",
        description=(
            "The back office's task list, a page at a time: the requests at a staff step (or, by `scope`,"
            f" waiting for the client, every open one or every closed one), each with its stage, assignee and due date. {_WHO_MAY}."
        ),
    )
    def get(self, request):
        query = StaffTaskQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = list_staff_tasks(staff=request.user, filters=query.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(StaffTaskOutputSerializer(page, many=True).data)


class StaffRequestDetailApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        responses=StaffRequestDetailOutputSerializer,
        operation_id="staff_requests_detail",
        description=(
            "One request of any client with its history, attachments and `current_task` (its `id` is the"
            " `task_id` of a decision, its `form_schema` the fields of complete/ and the fewest characters"
            " of each decision's text), and `approval_refusal`: why approve/ would be refused now, before"
            f" you decide. {_WHO_MAY}."
        ),
    )
    def get(self, request, request_id: int):
        return detail_response(selectors.get_request_for_staff(request_id=request_id), lane="Staff")


class StaffClaimApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=None,
        responses=RequestStepOutputSerializer,
        operation_id="staff_requests_claim",
        description=(
            "Take the request's staff task (no body): it is then yours to decide. Of two claims at once one"
            " wins; the other gets 409 `task_already_claimed` naming who holds it. Not in review: 409"
            f" `task_not_ready`. Answers the request's state. {_WHO_MAY}."
        ),
    )
    def post(self, request, request_id: int):
        claimed = task_hands.claim_request(
            staff=request.user, portal_request=selectors.request_ref(request_id=request_id)
        )
        return step_response(claimed, lane="Staff")


class StaffUnclaimApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=None,
        responses=RequestStepOutputSerializer,
        operation_id="staff_requests_unclaim",
        description=(
            "Release your own claim on an undecided request (no body), so anyone can take it. A decided"
            " request: 409 `invalid_transition`; another's claim: 409 `task_already_claimed`. Answers the"
            f" request's state. {_WHO_MAY}."
        ),
    )
    def post(self, request, request_id: int):
        unclaimed = task_hands.unclaim_request(
            staff=request.user, portal_request=selectors.request_ref(request_id=request_id)
        )
        return step_response(unclaimed, lane="Staff")


class StaffAssignApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=StaffAssignInputSerializer,
        responses=RequestStepOutputSerializer,
        operation_id="staff_requests_assign",
        description=(
            "Give the request's task to a staff member (your own id takes it over). With"
            " `expected_assignee_id` and the task changed hands since: 409 `conflict`, nothing changes; a"
            " decided request: 409 `invalid_transition`."
            f" Answers the request's state. {_WHO_MAY}."
        ),
    )
    def post(self, request, request_id: int):
        serializer = StaffAssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assigned = task_hands.assign_request(
            staff=request.user,
            portal_request=selectors.request_ref(request_id=request_id),
            assignee=serializer.validated_data["assignee_id"],
            **serializer.expectation(),
        )
        return step_response(assigned, lane="Staff")


# The staff task with the form's raw data (the decision endpoints below name their fields). Comments, not
# docstrings, on these views: a docstring would become the operation's description in the schema.
class StaffCompleteApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=StaffCompleteInputSerializer,
        responses=StaffStepOutputSerializer,
        operation_id="staff_requests_complete",
        description=(
            "Complete the current staff task with its form's fields in `data` (`current_task.form_schema`),"
            " for the steps approve/, reject/ and ask-client/ do not name. Answers the request's state. An"
            ' approval (`data.decision` "approve") of a contract value change priced in another currency'
            " than the contract's takes `exchange_rate` (and `contract_rate`) and `rate_date` as approve/ does"
            " (400 `invalid` at the field missing); rates on any other step are refused at their field."
            " The step on an unclaimed task claims it (`claimed`)."
            f" Errors: 400 `invalid`, {_DECIDE_ERRORS}. {_WHO_MAY}."
        ),
    )
    def post(self, request, request_id: int):
        serializer = StaffCompleteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        completed = services.complete_staff_task(
            staff=request.user,
            portal_request=selectors.request_ref(request_id=request_id),
            **serializer.validated_data,
        )
        return staff_step_response(completed)


# Ask the client, approve or reject: the decision's input → decisions.decide_request.
class _StaffDecisionApi(APIView):
    permission_classes = [IsBackOffice]
    decision: Decision

    def post(self, request, request_id: int):
        serializer = DECISION_INPUTS[self.decision](data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = decide_request(
            actor=request.user, request_id=request_id, decision=self.decision, **serializer.validated_data
        )
        return staff_step_response(decided)


def _decision_schema(serializer_class, operation_id: str, description: str, examples):
    return extend_schema_view(
        post=extend_schema(
            request=serializer_class,
            responses=StaffStepOutputSerializer,
            operation_id=operation_id,
            examples=examples,
            description=(
                f"{description} The first decision on an unclaimed task claims it (`claimed`). Answers the"
                f" request's state. Errors: 400 `invalid`, {_DECIDE_ERRORS}. The change an approval makes can be"
                " refused: 400 `contract_not_open`, `buyout_in_progress` or `permit_trip_ended`; a step that"
                f" fails is rolled back, 409 `workflow_incident`. {_WHO_MAY}."
            ),
        )
    )


@_decision_schema(
    StaffAskInputSerializer,
    "staff_requests_ask_client",
    "Ask the client a question: the request waits for the client's reply (POST /api/requests/{id}/reply/).",
    ASK_CLIENT_EXAMPLES,
)
class StaffAskClientApi(_StaffDecisionApi):
    decision = Decision.ASK_CLIENT


@_decision_schema(
    StaffApproveInputSerializer,
    "staff_requests_approve",
    "Approve the request with the answer the client reads; the process then makes the change. A contract"
    " value change priced in another currency than the contract's takes the NBP rates, zł for 1 unit:"
    " `exchange_rate` (of the foreign currency; of the price's for EUR on CHF or CHF on EUR), `contract_rate`"
    " (only then: of the contract's) and `rate_date` (400 `invalid` at the field missing, or at a rate on any"
    " other request): the contract's value becomes the price converted at those rates (a PLN price divided,"
    " a foreign one multiplied), and the decision's history row and letter name both amounts and the rates."
    " Whether the contract refuses an approval now: the request's `approval_refusal`"
    " (GET /api/staff/requests/{id}/).",
    APPROVE_EXAMPLES,
)
class StaffApproveApi(_StaffDecisionApi):
    decision = Decision.APPROVE


@_decision_schema(
    StaffRejectInputSerializer,
    "staff_requests_reject",
    "Reject the request with the reason the client reads.",
    REJECT_EXAMPLES,
)
class StaffRejectApi(_StaffDecisionApi):
    decision = Decision.REJECT


class StaffCommentsApi(APIView):
    permission_classes = [IsBackOffice]
    throttle_scopes = {"POST": "messages"}  # a comment reaches the client (backend/core/throttling.py)

    @extend_schema(
        request=MessageInputSerializer,
        responses={201: RequestEventOutputSerializer},
        operation_id="staff_requests_comment",
        examples=COMMENT_EXAMPLES,
        description=(
            "Write a comment the client reads (and is told of), in any state; it changes no step. Answers 201"
            f" with the comment. 400 `invalid`, 429 `throttled`. {_WHO_MAY}."
        ),
    )
    def post(self, request, request_id: int):
        portal_request = selectors.request_ref(request_id=request_id)
        serializer = MessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.add_comment(
            user=request.user, portal_request=portal_request, **serializer.validated_data
        )
        return comment_response(event, attachment_ids=serializer.validated_data["attachment_ids"])
