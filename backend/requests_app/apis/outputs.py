"""Response bodies of the requests API: lists, the detail with its history, and the state after a step."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from backend.core.serializers import FlatReadSerializerMixin
from backend.requests_app import client_waits, complaints
from backend.requests_app.apis.claimed import claimed_field
from backend.requests_app.apis.complaint import ComplaintClockOutput
from backend.requests_app.catalogue import request_stage_label, stage_label
from backend.requests_app.decisions import staff_decision_waits
from backend.requests_app.effects import BuyoutInProgress, ContractNotOpen, approval_refusal
from backend.requests_app.models import (
    PortalRequest,
    RequestAttachment,
    RequestEvent,
    RequestKind,
    RequestStatus,
    client_status_label,
)
from workflows.services import get_task_form

STATUS_LABEL_HELP = (
    "The status in the user's language, as the viewer's pages say it: a client reads the client's words"
    ' (`waiting_for_client`: "Waiting for your reply"), staff the back office\'s.'
)


def status_label_for(obj: PortalRequest, context: dict) -> str:
    """The status's label as the viewer's pages show it: a client's answer (lane "Client") the client's."""
    if context.get("lane") == "Client":
        return client_status_label(obj.status)
    return obj.get_status_display()


class RequestAttachmentOutputSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = RequestAttachment
        fields = ["id", "original_name", "content_type", "size", "created_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return f"/api/requests/attachments/{obj.pk}/download/"


class RequestEventOutputSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    attachments = RequestAttachmentOutputSerializer(many=True, read_only=True)
    # RequestEvent.kind_label: a decision document still being rendered is not called issued.
    kind_label = serializers.CharField(read_only=True)

    class Meta:
        model = RequestEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "author",
            "actor_name",
            "stage",
            "status_from",
            "status_to",
            "message",
            "data",
            "attachments",
            "created_at",
        ]

    def get_actor_name(self, obj) -> str:
        if obj.actor is None:
            # The request's contact person outside the portal, who replied by the e-mail's link.
            # (A stage change the client's copy shows as the process's keeps that contact in its data:
            # selectors._client_copy_of_history.)
            data = obj.data or {}
            by_link = obj.author == RequestEvent.Author.CLIENT and data.get("via") == "reply_link"
            return data.get("email", "") if by_link else ""
        return obj.actor.get_full_name() or obj.actor.email


# The context's `lane` ("Client" or "Staff") chooses the words of `status_label`.
class RequestListOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.SerializerMethodField(help_text=STATUS_LABEL_HELP)
    stage_label = serializers.SerializerMethodField()
    contract_number = serializers.CharField(source="contract.number", default="", read_only=True)
    waiting_for_client = serializers.BooleanField(read_only=True)

    class Meta:
        model = PortalRequest
        fields = [
            "id",
            "number",
            "type",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "stage",
            "stage_label",
            "waiting_for_client",
            "contract",
            "contract_number",
            "created_at",
            "decided_at",
        ]

    def get_status_label(self, obj) -> str:
        return status_label_for(obj, self.context)

    def get_stage_label(self, obj) -> str:
        return request_stage_label(obj)


class CurrentTaskOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    lane = serializers.CharField()
    title = serializers.CharField()
    form_schema = serializers.DictField()


def current_task_of(portal_request: PortalRequest, *, viewer_lane: str | None) -> dict | None:
    """The ready user task of the request, when it is the viewer's to do (None otherwise)."""
    instance = portal_request.process_instance
    if instance is None or instance.current_task_id is None:
        return None
    lane = {"client": "Client", "staff": "Staff"}.get(instance.waiting_for, "")
    if viewer_lane and viewer_lane != lane:
        return None
    title = stage_label(instance.current_task_name, version_id=instance.process_version_id)
    return {
        "id": str(instance.current_task_id),
        "name": instance.current_task_name,
        "lane": lane,
        "title": str(title),
        "form_schema": get_task_form(instance, instance.current_task_name),
    }


# Declared fields, not a ModelSerializer: building fields from the model costs more than the step; and the
# fields are planned once per class (backend/core/serializers.py), not copied for every answer.
class RequestStepOutputSerializer(FlatReadSerializerMixin, serializers.Serializer):
    """The request's state right after a write (submit, reply, claim, decision): no second read.

    The whole request with its history is `GET /api/requests/{id}/` (staff: `/api/staff/requests/{id}/`).
    """

    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.SerializerMethodField(help_text=STATUS_LABEL_HELP)
    stage = serializers.CharField()
    stage_label = serializers.SerializerMethodField()
    waiting_for_client = serializers.BooleanField()
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    current_task = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_status_label(self, obj) -> str:
        return status_label_for(obj, self.context)

    def get_stage_label(self, obj) -> str:
        return request_stage_label(obj)

    @extend_schema_field(CurrentTaskOutputSerializer(allow_null=True))
    def get_current_task(self, obj) -> dict | None:
        return current_task_of(obj, viewer_lane=self.context.get("lane"))


class StaffStepOutputSerializer(RequestStepOutputSerializer):
    """The request's state right after a staff step (a decision, a question, complete/), with whether the
    step claimed the task for the caller."""

    claimed = claimed_field(source="claimed_in_step")


class WaitEndOutputSerializer(serializers.Serializer):
    reply_by = serializers.DateTimeField(
        allow_null=True,
        help_text="The moment the wait ends without the reply (its timer fires): the cancel, or a complaint's"
        " statutory deadline (then staff answer with what they have; `cancels` false). Its day is the day"
        " the request is cancelled; the client is asked to reply by `reply_by_day`, the day before.",
    )
    reply_by_day = serializers.DateField(
        allow_null=True,
        help_text='The last full day to reply, as the page and the e-mails say it ("reply by"): the day'
        " before `reply_by`'s day, in the portal's time zone.",
    )
    cancels = serializers.BooleanField(help_text="Whether the request is cancelled at `reply_by`.")


class ClientWaitOutputSerializer(WaitEndOutputSerializer):
    since = serializers.DateTimeField(allow_null=True, help_text="Staff's last question.")
    reminder_at = serializers.DateTimeField(
        allow_null=True, help_text="When the process reminds the client (day 14); null once it has."
    )
    reminded_at = serializers.DateTimeField(allow_null=True, help_text="When the reminder was sent.")
    cancel_at = serializers.DateTimeField(
        allow_null=True, help_text="When the process cancels the unanswered request (day 30)."
    )


class RequestDetailOutputSerializer(RequestListOutputSerializer):
    history = RequestEventOutputSerializer(source="events", many=True, read_only=True)
    attachments = RequestAttachmentOutputSerializer(many=True, read_only=True)
    contact = serializers.SerializerMethodField()
    current_task = serializers.SerializerMethodField()
    assignee_name = serializers.SerializerMethodField()
    decision_document_url = serializers.SerializerMethodField()
    # "preparing" between the decision and the worker's rendering of the document (after commit).
    decision_document_status = serializers.SerializerMethodField()
    # A complaint's statutory answer clock (backend/requests_app/complaints.py); null for other kinds.
    complaint_clock = serializers.SerializerMethodField()
    # While the request waits for the client: since when, and its process's reminder and cancel times.
    client_wait = serializers.SerializerMethodField()

    class Meta(RequestListOutputSerializer.Meta):
        fields = [
            *RequestListOutputSerializer.Meta.fields,
            "contact",
            "declarations",
            "form_data",
            "decision_reason",
            "assignee_name",
            "staff_due_at",
            "current_task",
            "decision_document_url",
            "decision_document_status",
            "complaint_clock",
            "client_wait",
            "attachments",
            "history",
        ]

    @extend_schema_field(ComplaintClockOutput(allow_null=True))
    def get_complaint_clock(self, obj) -> dict | None:
        return complaints.clock_payload(complaints.clock_of(obj))

    @extend_schema_field(ClientWaitOutputSerializer(allow_null=True))
    def get_client_wait(self, obj) -> dict | None:
        wait = client_waits.client_wait(obj)
        return ClientWaitOutputSerializer(wait).data if wait is not None else None

    def get_contact(self, obj) -> dict[str, str]:
        return {"name": obj.contact_name, "phone": obj.contact_phone, "email": obj.contact_email}

    def get_assignee_name(self, obj) -> str:
        return (obj.assignee.get_full_name() or obj.assignee.email) if obj.assignee else ""

    def get_decision_document_url(self, obj) -> str:
        return f"/api/requests/{obj.pk}/decision-document/" if obj.decision_document_id else ""

    @extend_schema_field(serializers.ChoiceField(choices=["ready", "preparing", "delayed", ""]))
    def get_decision_document_status(self, obj) -> str:
        return obj.decision_document_state

    @extend_schema_field(CurrentTaskOutputSerializer(allow_null=True))
    def get_current_task(self, obj) -> dict | None:
        return current_task_of(obj, viewer_lane=self.context.get("lane"))


class RequestRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class ApprovalRefusalOutputSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[ContractNotOpen.code, BuyoutInProgress.code],
        help_text="The error code approve/ would answer (400): the contract is no longer open to changes, or"
        " an open early termination request holds a quote computed from its current schedule.",
    )
    message = serializers.CharField(
        help_text="Why, in your language: the text approve/ would answer at `fields.decision`."
    )
    blocking_request = RequestRefOutputSerializer(
        allow_null=True,
        help_text="The early termination request to decide first (`buyout_in_progress`); null otherwise.",
    )


def approval_refusal_payload(portal_request: PortalRequest) -> dict | None:
    """What approving the request would meet now (effects.approval_refusal, the page's check), None when
    nothing refuses it or no staff decision waits."""
    refusal = approval_refusal(portal_request) if staff_decision_waits(portal_request) else None
    if refusal is None:
        return None
    holder = getattr(refusal, "holder", None)
    return {
        "code": refusal.code,
        "message": refusal.message,
        "blocking_request": {"id": holder.pk, "number": holder.number} if holder else None,
    }


class StaffRequestDetailOutputSerializer(RequestDetailOutputSerializer):
    # Said before the decision, as the staff task page says it in place of the approve form.
    approval_refusal = serializers.SerializerMethodField(
        help_text="While the request waits for a staff decision: why an approval would be refused now (the"
        " contract's state, checked again when approving), so ask the client or reject instead; null when"
        " nothing refuses it or no decision waits. The fewest characters of each decision's text are the"
        " `minLength` of the decision's rule in `current_task.form_schema`."
    )

    class Meta(RequestDetailOutputSerializer.Meta):
        fields = [*RequestDetailOutputSerializer.Meta.fields, "approval_refusal"]

    @extend_schema_field(ApprovalRefusalOutputSerializer(allow_null=True))
    def get_approval_refusal(self, obj) -> dict | None:
        return approval_refusal_payload(obj)


class StaffTaskOutputSerializer(RequestListOutputSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    task_id = serializers.UUIDField(
        source="process_instance.current_task_id", read_only=True, allow_null=True
    )
    # Past its staff due time (selectors_task_list.overdue_condition, annotated by list_staff_tasks): the page's red.
    is_overdue = serializers.BooleanField(read_only=True)
    wait_end = serializers.SerializerMethodField()

    class Meta(RequestListOutputSerializer.Meta):
        fields = [
            *RequestListOutputSerializer.Meta.fields,
            "client",
            "client_name",
            "assignee",
            "assignee_name",
            "staff_due_at",
            "is_overdue",
            "task_id",
            "wait_end",
        ]

    def get_assignee_name(self, obj) -> str:
        return (obj.assignee.get_full_name() or obj.assignee.email) if obj.assignee else ""

    @extend_schema_field(WaitEndOutputSerializer(allow_null=True))
    def get_wait_end(self, obj) -> dict | None:
        """Null unless the request waits for the client: when that wait ends without the reply."""
        end = client_waits.wait_end(obj)
        return WaitEndOutputSerializer(end).data if end is not None else None


def detail_response(portal_request: PortalRequest, *, lane: str, status_code: int = 200) -> Response:
    """The whole request with its history, as the viewer's lane ("Client" or "Staff") sees it: staff
    also read what an approval would meet (StaffRequestDetailOutputSerializer)."""
    serializer = StaffRequestDetailOutputSerializer if lane == "Staff" else RequestDetailOutputSerializer
    return Response(serializer(portal_request, context={"lane": lane}).data, status=status_code)


def step_response(portal_request: PortalRequest, *, lane: str, status_code: int = 200) -> Response:
    """The request's state right after a step (no second read)."""
    return Response(
        RequestStepOutputSerializer(portal_request, context={"lane": lane}).data, status=status_code
    )


def staff_step_response(portal_request: PortalRequest) -> Response:
    """The request's state right after a staff step that went through services.complete_staff_task."""
    return Response(StaffStepOutputSerializer(portal_request, context={"lane": "Staff"}).data)


def comment_response(event: RequestEvent, *, attachment_ids: list[int]) -> Response:
    """201 with the comment just added; its attachments are the ones it bound, so none are read for none."""
    if not attachment_ids:
        event._prefetched_objects_cache = {"attachments": RequestAttachment.objects.none()}
    return Response(RequestEventOutputSerializer(event).data, status=201)
