"""REST API of requests: the client's side (submit, follow, reply) and the staff task list and decisions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.contracts.schedule import ScheduleError
from backend.core.exceptions import NotFound, PortalValidationError
from backend.core.filters import MAX_ID, MIN_ID, id_query_field, parse_id
from backend.core.middleware import get_active_client
from backend.core.money import format_amount, format_date, format_money
from backend.core.pagination import PortalPagination
from backend.core.permissions import IsBackOffice, IsClientUser
from backend.core.schema import stored_file_responses
from backend.documents.downloads import stored_file_response
from backend.requests_app import selectors, services
from backend.requests_app.catalogue import INSTALLMENT_OPTIONS, catalogue, stage_label
from backend.requests_app.effects import contract_value_plan_for, schedule_change_plan_for
from backend.requests_app.models import (
    PortalRequest,
    RequestAttachment,
    RequestEvent,
    RequestKind,
    RequestStatus,
)
from backend.requests_app.terms import request_terms, terms_json
from backend.requests_app.validation import (
    RequestSubmitInputSerializer,
    active_lang,
    capital_warning,
    check_capital_repaid,
)
from workflows.services import get_task_form

# --------------------------------------------------------------------------------------------------
# Output


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
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

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
            return ""
        return obj.actor.get_full_name() or obj.actor.email


class RequestListOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
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

    def get_stage_label(self, obj) -> str:
        return stage_label(obj.stage)


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
    title = stage_label(instance.current_task_name)
    return {
        "id": str(instance.current_task_id),
        "name": instance.current_task_name,
        "lane": lane,
        "title": str(title),
        "form_schema": get_task_form(instance, instance.current_task_name),
    }


class RequestStepOutputSerializer(serializers.Serializer):
    """The request's state right after a write (submit, reply, claim, decision): no second read.

    The whole request with its history is `GET /api/requests/{id}/` (staff: `/api/staff/requests/{id}/`).
    Declared fields, not a ModelSerializer: building fields from the model costs more than the step.
    """

    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    stage = serializers.CharField()
    stage_label = serializers.SerializerMethodField()
    waiting_for_client = serializers.BooleanField()
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    current_task = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_stage_label(self, obj) -> str:
        return stage_label(obj.stage)

    @extend_schema_field(CurrentTaskOutputSerializer(allow_null=True))
    def get_current_task(self, obj) -> dict | None:
        return current_task_of(obj, viewer_lane=self.context.get("lane"))


class RequestDetailOutputSerializer(RequestListOutputSerializer):
    history = RequestEventOutputSerializer(source="events", many=True, read_only=True)
    attachments = RequestAttachmentOutputSerializer(many=True, read_only=True)
    contact = serializers.SerializerMethodField()
    current_task = serializers.SerializerMethodField()
    assignee_name = serializers.SerializerMethodField()
    decision_document_url = serializers.SerializerMethodField()

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
            "attachments",
            "history",
        ]

    def get_contact(self, obj) -> dict[str, str]:
        return {"name": obj.contact_name, "phone": obj.contact_phone, "email": obj.contact_email}

    def get_assignee_name(self, obj) -> str:
        return (obj.assignee.get_full_name() or obj.assignee.email) if obj.assignee else ""

    def get_decision_document_url(self, obj) -> str:
        return f"/api/requests/{obj.pk}/decision-document/" if obj.decision_document_id else ""

    @extend_schema_field(CurrentTaskOutputSerializer(allow_null=True))
    def get_current_task(self, obj) -> dict | None:
        return current_task_of(obj, viewer_lane=self.context.get("lane"))


class StaffTaskOutputSerializer(RequestListOutputSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    task_id = serializers.UUIDField(
        source="process_instance.current_task_id", read_only=True, allow_null=True
    )

    class Meta(RequestListOutputSerializer.Meta):
        fields = [
            *RequestListOutputSerializer.Meta.fields,
            "client",
            "client_name",
            "assignee",
            "assignee_name",
            "staff_due_at",
            "task_id",
        ]

    def get_assignee_name(self, obj) -> str:
        return (obj.assignee.get_full_name() or obj.assignee.email) if obj.assignee else ""


class InstallmentOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    capital = serializers.DecimalField(max_digits=14, decimal_places=2)
    interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    net = serializers.DecimalField(max_digits=14, decimal_places=2)
    vat = serializers.DecimalField(max_digits=14, decimal_places=2)
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)
    capital_remaining = serializers.DecimalField(max_digits=14, decimal_places=2)
    # Formatted by backend.core.money like every amount of the portal, so the preview shows exactly what
    # the schedule page will show (the browser's own number format differs: "7918,55" vs "7 918,55").
    due_date_display = serializers.SerializerMethodField()
    net_display = serializers.SerializerMethodField()
    gross_display = serializers.SerializerMethodField()
    capital_remaining_display = serializers.SerializerMethodField()

    def get_due_date_display(self, obj) -> str:
        return format_date(obj.due_date, lang=active_lang())

    def get_net_display(self, obj) -> str:
        return format_amount(obj.net, lang=active_lang())

    def get_gross_display(self, obj) -> str:
        return format_amount(obj.gross, lang=active_lang())

    def get_capital_remaining_display(self, obj) -> str:
        return format_amount(obj.capital_remaining, lang=active_lang())


class ScheduleQuoteOutputSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    residual_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    net_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    installments = InstallmentOutputSerializer(many=True)
    first_net_display = serializers.SerializerMethodField(help_text="The first new net installment.")
    warning = serializers.CharField(
        help_text="Set when the chosen installments leave capital for the last one: how much, in words."
    )
    refused = serializers.BooleanField(help_text="The submit refuses this plan (the warning says why).")
    residual_percent_display = serializers.SerializerMethodField()
    net_value_display = serializers.SerializerMethodField()

    def get_first_net_display(self, obj) -> str:
        rows = obj["installments"]
        return format_amount(rows[0].net, lang=active_lang()) if rows else ""

    def get_residual_percent_display(self, obj) -> str:
        return format_amount(obj["residual_percent"], lang=active_lang())

    def get_net_value_display(self, obj) -> str:
        return format_money(obj["net_value"], obj["currency"], lang=active_lang())


# --------------------------------------------------------------------------------------------------
# Input


class MessageInputSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=4000)
    attachment_ids = serializers.ListField(
        # In the id range: a larger number reached SQLite as an OverflowError (a 500).
        child=serializers.IntegerField(min_value=MIN_ID, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=10,
    )


class ReplyInputSerializer(MessageInputSerializer):
    task_id = serializers.UUIDField(required=False, allow_null=True)


class AttachmentUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class ScheduleQuoteInputSerializer(serializers.Serializer):
    contract_id = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=[RequestKind.SCHEDULE_CHANGE, RequestKind.CONTRACT_VALUE_CHANGE],
        default=RequestKind.SCHEDULE_CHANGE,
    )
    residual_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=50, required=False, allow_null=True
    )
    months = serializers.IntegerField(min_value=1, max_value=120, required=False, allow_null=True)
    installment_option = serializers.ChoiceField(choices=list(INSTALLMENT_OPTIONS), default="auto")
    net_installments = serializers.ListField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        required=False,
        max_length=120,
    )
    net_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)


class StaffCompleteInputSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(required=False, allow_null=True)
    data = serializers.DictField(help_text="The fields of the task's form (see current_task.form_schema).")
    attachment_ids = serializers.ListField(
        # In the id range: a larger number reached SQLite as an OverflowError (a 500).
        child=serializers.IntegerField(min_value=MIN_ID, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=10,
    )


class StaffAskInputSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(required=False, allow_null=True)
    question = serializers.CharField(max_length=4000)
    attachment_ids = serializers.ListField(
        # In the id range: a larger number reached SQLite as an OverflowError (a 500).
        child=serializers.IntegerField(min_value=MIN_ID, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=10,
    )


class StaffApproveInputSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(required=False, allow_null=True)
    answer = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    attachment_ids = serializers.ListField(
        # In the id range: a larger number reached SQLite as an OverflowError (a 500).
        child=serializers.IntegerField(min_value=MIN_ID, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=10,
    )


class StaffRejectInputSerializer(serializers.Serializer):
    task_id = serializers.UUIDField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=2000)
    attachment_ids = serializers.ListField(
        # In the id range: a larger number reached SQLite as an OverflowError (a 500).
        child=serializers.IntegerField(min_value=MIN_ID, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=10,
    )


CatalogueOutput = inline_serializer(
    name="RequestCatalogueType",
    fields={
        "type": serializers.CharField(),
        "label": serializers.DictField(child=serializers.CharField()),
        "kinds": serializers.ListField(child=serializers.DictField()),
    },
    many=True,
)
IDEMPOTENCY_HEADER = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A retried submit with the same key returns the first request instead of creating another.",
)

# --------------------------------------------------------------------------------------------------
# Client views


def _detail(portal_request: PortalRequest, *, lane: str, status_code: int = 200) -> Response:
    return Response(
        RequestDetailOutputSerializer(portal_request, context={"lane": lane}).data, status=status_code
    )


def _stepped(portal_request: PortalRequest, *, lane: str, status_code: int = 200) -> Response:
    return Response(
        RequestStepOutputSerializer(portal_request, context={"lane": lane}).data, status=status_code
    )


class RequestCatalogueApi(APIView):
    permission_classes = [IsClientUser]

    @extend_schema(responses=CatalogueOutput, operation_id="requests_catalogue")
    def get(self, request):
        # Each kind carries its fee and the expected time to a decision (backend/requests_app/terms.py).
        terms = request_terms()
        types = catalogue()
        for request_type in types:
            for kind in request_type["kinds"]:
                kind["terms"] = terms_json(terms[kind["kind"]])
        return Response(types)


class RequestListQuerySerializer(serializers.Serializer):
    """The list's query string: a malformed contract id is a 400, not a database error."""

    status = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(required=False, allow_blank=True)
    type = serializers.CharField(required=False, allow_blank=True)
    contract = id_query_field()


class RequestListCreateApi(APIView):
    permission_classes = [IsClientUser]
    # Paginated by hand (APIView); the attribute also documents the envelope in the schema.
    pagination_class = PortalPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=RequestStatus.values),
            OpenApiParameter("kind", str, enum=RequestKind.values),
            OpenApiParameter("type", str),
            OpenApiParameter("contract", int),
        ],
        responses=RequestListOutputSerializer(many=True),
        operation_id="requests_list",
    )
    def get(self, request):
        query = RequestListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = selectors.list_requests_for_client(
            client=request.active_client, filters=query.validated_data
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(RequestListOutputSerializer(page, many=True).data)

    @extend_schema(
        request=RequestSubmitInputSerializer,
        responses={201: RequestStepOutputSerializer, 200: RequestStepOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        operation_id="requests_submit",
    )
    def post(self, request):
        serializer = RequestSubmitInputSerializer(
            data=request.data, context={"client": request.active_client}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = (request.headers.get("Idempotency-Key") or "").strip()[:128]
        portal_request, created = services.submit_request(
            user=request.user,
            client=request.active_client,
            kind=data["kind"],
            contract=data["contract"],
            contact=dict(data["contact"]),
            declarations=data["declarations"],
            data=data["data"],
            attachment_ids=data["attachment_ids"],
            idempotency_key=key,
            fingerprint=services.request_fingerprint(request.data) if key else "",
        )
        return _stepped(portal_request, lane="Client", status_code=201 if created else 200)


class RequestDetailApi(APIView):
    permission_classes = [IsClientUser]

    @extend_schema(responses=RequestDetailOutputSerializer, operation_id="requests_detail")
    def get(self, request, request_id: int):
        portal_request = selectors.get_request_for_client(client=request.active_client, request_id=request_id)
        return _detail(portal_request, lane="Client")


class RequestReplyApi(APIView):
    permission_classes = [IsClientUser]

    @extend_schema(
        request=ReplyInputSerializer, responses=RequestStepOutputSerializer, operation_id="requests_reply"
    )
    def post(self, request, request_id: int):
        portal_request = selectors.request_ref(client=request.active_client, request_id=request_id)
        serializer = ReplyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        replied = services.reply_to_request(
            user=request.user,
            portal_request=portal_request,
            message=serializer.validated_data["message"],
            attachment_ids=serializer.validated_data["attachment_ids"],
            task_id=serializer.validated_data.get("task_id"),
        )
        return _stepped(replied, lane="Client")


class RequestCancelApi(APIView):
    permission_classes = [IsClientUser]

    @extend_schema(request=None, responses=RequestStepOutputSerializer, operation_id="requests_cancel")
    def post(self, request, request_id: int):
        portal_request = selectors.request_ref(client=request.active_client, request_id=request_id)
        cancelled = services.cancel_request(user=request.user, portal_request=portal_request)
        return _stepped(cancelled, lane="Client")


class RequestCommentsApi(APIView):
    permission_classes = [IsClientUser]

    @extend_schema(responses=RequestEventOutputSerializer(many=True), operation_id="requests_comments_list")
    def get(self, request, request_id: int):
        portal_request = selectors.get_request_for_client(client=request.active_client, request_id=request_id)
        events = [e for e in portal_request.events.all() if e.kind in MESSAGE_KINDS]
        return Response(RequestEventOutputSerializer(events, many=True).data)

    @extend_schema(
        request=MessageInputSerializer,
        responses={201: RequestEventOutputSerializer},
        operation_id="requests_comments_add",
    )
    def post(self, request, request_id: int):
        portal_request = selectors.request_ref(client=request.active_client, request_id=request_id)
        serializer = MessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.add_comment(
            user=request.user, portal_request=portal_request, **serializer.validated_data
        )
        return Response(RequestEventOutputSerializer(event).data, status=201)


MESSAGE_KINDS = {
    RequestEvent.Kind.COMMENT,
    RequestEvent.Kind.QUESTION,
    RequestEvent.Kind.REPLY,
    RequestEvent.Kind.DECISION,
}


class RequestAttachmentUploadApi(APIView):
    """Upload first, then send the ids with the request, reply or comment: a failed submit loses no file."""

    permission_classes = [IsClientUser | IsBackOffice]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadInputSerializer},
        responses={201: RequestAttachmentOutputSerializer},
        operation_id="requests_attachments_upload",
    )
    def post(self, request):
        serializer = AttachmentUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = get_active_client(request._request) if request.user.is_client_user else None
        if client is None:
            client = self._staff_client(request)
        attachment = services.upload_attachment(
            user=request.user, client=client, uploaded=serializer.validated_data["file"]
        )
        return Response(RequestAttachmentOutputSerializer(attachment).data, status=201)

    @staticmethod
    def _staff_client(request):
        """Staff attach files to a given request: the file belongs to that request's client."""
        request_id = parse_id(request.query_params.get("request") or request.data.get("request"))
        if not (request.user.is_back_office and request_id is not None):
            message = PortalValidationError().message
            raise PortalValidationError(message, fields={"request": [message]})
        return selectors.get_request_for_staff(request_id=request_id).client


class RequestAttachmentDownloadApi(APIView):
    permission_classes = [IsClientUser | IsBackOffice]

    @extend_schema(
        responses=stored_file_responses("The attachment"),
        operation_id="requests_attachments_download",
    )
    def get(self, request, attachment_id: int):
        client = get_active_client(request._request) if request.user.is_client_user else None
        attachment = selectors.get_attachment_for_user(
            user=request.user, client=client, attachment_id=attachment_id
        )
        return stored_file_response(
            attachment.file.open("rb"),
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


class RequestDecisionDocumentApi(APIView):
    permission_classes = [IsClientUser | IsBackOffice]

    @extend_schema(
        responses=stored_file_responses("The decision document (DOCX)"),
        operation_id="requests_decision_document",
    )
    def get(self, request, request_id: int):
        if request.user.is_client_user:
            portal_request = selectors.get_request_for_client(
                client=get_active_client(request._request), request_id=request_id
            )
        else:
            portal_request = selectors.get_request_for_staff(request_id=request_id)
        document = portal_request.decision_document
        if document is None:
            raise NotFound()
        return stored_file_response(
            document.file.open("rb"), filename=document.original_name, content_type=document.content_type
        )


class ScheduleQuoteApi(APIView):
    """The resulting schedule for any combination, before submitting (same computation as on approval)."""

    permission_classes = [IsClientUser]

    @extend_schema(
        request=ScheduleQuoteInputSerializer,
        responses=ScheduleQuoteOutputSerializer,
        operation_id="requests_schedule_quote",
    )
    def post(self, request):
        serializer = ScheduleQuoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contract = selectors.get_contract_for_client(
            client=request.active_client, contract_id=data["contract_id"]
        )
        warning, refused = "", False
        try:
            if data["kind"] == RequestKind.CONTRACT_VALUE_CHANGE:
                if data.get("net_amount") is None:
                    raise ScheduleError(str(serializers.Field.default_error_messages["required"]))
                plan = contract_value_plan_for(contract, data)
            else:
                plan = schedule_change_plan_for(contract, data)
        except ScheduleError as exc:
            raise PortalValidationError(str(exc), fields={"non_field_errors": [str(exc)]}) from exc
        if data["kind"] == RequestKind.SCHEDULE_CHANGE:
            # The schedule is shown either way (its first rows do not show a balloon at the end): with
            # the capital left named, and whether the submit will refuse it.
            balloon = {"installment_option": data["installment_option"], "currency": contract.currency}
            try:
                check_capital_repaid(plan, **balloon, lang=active_lang())
                warning = capital_warning(plan, **balloon, lang=active_lang())
            except ScheduleError as exc:
                warning, refused = str(exc), True
        return Response(
            ScheduleQuoteOutputSerializer(
                {
                    "months": plan.months,
                    "residual_percent": plan.residual_percent,
                    "net_value": plan.net_value,
                    "currency": contract.currency,
                    "installments": plan.installments,
                    "warning": warning,
                    "refused": refused,
                }
            ).data
        )


# --------------------------------------------------------------------------------------------------
# Staff views


class StaffTaskQuerySerializer(serializers.Serializer):
    """The task list's query string: ids must be whole numbers in range, the due date a date-time."""

    kind = serializers.CharField(required=False, allow_blank=True)
    type = serializers.CharField(required=False, allow_blank=True)
    stage = serializers.CharField(required=False, allow_blank=True)
    contract = serializers.CharField(required=False, allow_blank=True)
    client = id_query_field()
    due_before = serializers.DateTimeField(required=False)
    assignee = serializers.CharField(required=False, allow_blank=True)

    def validate_assignee(self, value: str) -> str | int:
        if value in {"", "me", "none"}:
            return value
        user_id = parse_id(value)
        if user_id is None:
            raise serializers.ValidationError(_('Enter "me", "none" or a user id.'))
        return user_id


class StaffTaskListApi(APIView):
    permission_classes = [IsBackOffice]
    # Paginated by hand (APIView); the attribute also documents the envelope in the schema.
    pagination_class = PortalPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=RequestKind.values, description="Request type (process)."),
            OpenApiParameter("type", str),
            OpenApiParameter("stage", str),
            OpenApiParameter("contract", str, description="Part of the contract number."),
            OpenApiParameter("client", int),
            OpenApiParameter("due_before", OpenApiTypes.DATETIME),
            OpenApiParameter(
                "assignee", str, description='"me", "none" or a user id.', pattern=r"^(me|none|[0-9]+)$"
            ),
        ],
        responses=StaffTaskOutputSerializer(many=True),
        operation_id="staff_tasks_list",
    )
    def get(self, request):
        query = StaffTaskQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = selectors.list_staff_tasks(staff=request.user, filters=query.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(StaffTaskOutputSerializer(page, many=True).data)


class StaffRequestDetailApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(responses=RequestDetailOutputSerializer, operation_id="staff_requests_detail")
    def get(self, request, request_id: int):
        return _detail(selectors.get_request_for_staff(request_id=request_id), lane="Staff")


class StaffClaimApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(request=None, responses=RequestStepOutputSerializer, operation_id="staff_requests_claim")
    def post(self, request, request_id: int):
        claimed = services.claim_request(
            staff=request.user, portal_request=selectors.request_ref(request_id=request_id)
        )
        return _stepped(claimed, lane="Staff")


class StaffUnclaimApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(request=None, responses=RequestStepOutputSerializer, operation_id="staff_requests_unclaim")
    def post(self, request, request_id: int):
        unclaimed = services.unclaim_request(
            staff=request.user, portal_request=selectors.request_ref(request_id=request_id)
        )
        return _stepped(unclaimed, lane="Staff")


def _complete(request, request_id: int, *, data: dict, validated: dict) -> Response:
    completed = services.complete_staff_task(
        staff=request.user,
        portal_request=selectors.request_ref(request_id=request_id),
        data=data,
        task_id=validated.get("task_id"),
        attachment_ids=validated.get("attachment_ids") or [],
    )
    return _stepped(completed, lane="Staff")


class StaffCompleteApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=StaffCompleteInputSerializer,
        responses=RequestStepOutputSerializer,
        operation_id="staff_requests_complete",
    )
    def post(self, request, request_id: int):
        serializer = StaffCompleteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _complete(
            request, request_id, data=serializer.validated_data["data"], validated=serializer.validated_data
        )


class StaffAskClientApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=StaffAskInputSerializer,
        responses=RequestStepOutputSerializer,
        operation_id="staff_requests_ask_client",
    )
    def post(self, request, request_id: int):
        serializer = StaffAskInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"decision": "ask_client", "question": serializer.validated_data["question"]}
        return _complete(request, request_id, data=data, validated=serializer.validated_data)


class StaffApproveApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=StaffApproveInputSerializer,
        responses=RequestStepOutputSerializer,
        operation_id="staff_requests_approve",
    )
    def post(self, request, request_id: int):
        serializer = StaffApproveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"decision": "approve"}
        for field in ("answer", "comment"):
            if serializer.validated_data.get(field):
                data[field] = serializer.validated_data[field]
        return _complete(request, request_id, data=data, validated=serializer.validated_data)


class StaffRejectApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=StaffRejectInputSerializer,
        responses=RequestStepOutputSerializer,
        operation_id="staff_requests_reject",
    )
    def post(self, request, request_id: int):
        serializer = StaffRejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"decision": "reject", "reason": serializer.validated_data["reason"]}
        return _complete(request, request_id, data=data, validated=serializer.validated_data)


class StaffCommentsApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        request=MessageInputSerializer,
        responses={201: RequestEventOutputSerializer},
        operation_id="staff_requests_comment",
    )
    def post(self, request, request_id: int):
        portal_request = selectors.request_ref(request_id=request_id)
        serializer = MessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.add_comment(
            user=request.user, portal_request=portal_request, **serializer.validated_data
        )
        return Response(RequestEventOutputSerializer(event).data, status=201)
