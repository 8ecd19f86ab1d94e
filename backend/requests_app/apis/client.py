"""REST API of requests, the client's side: the catalogue, submit, follow, reply, cancel, comment, files."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.core.exceptions import NotFound, PortalValidationError
from backend.core.file_downloads import FileDownloadApi
from backend.core.filters import parse_id
from backend.core.idempotency import IDEMPOTENCY_HEADER, idempotency_key
from backend.core.pagination import PortalPagination
from backend.core.parsers import PortalMultiPartParser
from backend.core.permissions import IsBackOffice, IsClientUser
from backend.documents.downloads import (
    STORED_FILE_TYPES,
    document_filename,
    stored_file_response,
    stored_file_responses,
)
from backend.requests_app import selectors, services
from backend.requests_app.apis.examples import COMMENT_EXAMPLES, REPLY_EXAMPLES, SUBMIT_EXAMPLES
from backend.requests_app.apis.outputs import (
    RequestAttachmentOutputSerializer,
    RequestDetailOutputSerializer,
    RequestEventOutputSerializer,
    RequestListOutputSerializer,
    RequestStepOutputSerializer,
    comment_response,
    detail_response,
    step_response,
)
from backend.requests_app.catalogue import catalogue
from backend.requests_app.client_waits import stale_reply_refusal
from backend.requests_app.inputs import (
    AttachmentUploadInputSerializer,
    MessageInputSerializer,
    ReplyInputSerializer,
    RequestListQuerySerializer,
)
from backend.requests_app.models import PortalRequest, RequestEvent, RequestKind, RequestStatus, RequestType
from backend.requests_app.submission import previous_submit, submit_validated
from backend.requests_app.terms import request_terms, terms_json
from backend.requests_app.validation import RequestSubmitInputSerializer

# Who may call the client's request operations, in their descriptions.
_WHO_MAY = "Client users whose role covers requests (else 403 `permission_denied`)"

CatalogueOutput = inline_serializer(
    name="RequestCatalogueType",
    fields={
        "type": serializers.CharField(),
        "label": serializers.DictField(child=serializers.CharField()),
        "kinds": serializers.ListField(child=serializers.DictField()),
    },
    many=True,
)


class RequestCatalogueApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS

    @extend_schema(
        responses=CatalogueOutput,
        operation_id="requests_catalogue",
        description=(
            "What can be requested, by group: each kind's label, whether it needs a contract or an attachment,"
            " its `declarations` (codes the submit sends as `true`), its `form_schema` (the JSON Schema of the"
            " submit, whose `data` holds the kind's own fields) and its fee and expected time (`terms`)."
            f" {_WHO_MAY}. A plain array, not paged."
        ),
    )
    def get(self, request):
        # Each kind carries its fee and the expected time to a decision (backend/requests_app/terms.py).
        terms = request_terms()
        types = catalogue()
        for request_type in types:
            for kind in request_type["kinds"]:
                kind["terms"] = terms_json(terms[kind["kind"]])
        return Response(types)


class RequestListCreateApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS
    throttle_scopes = {"POST": "submissions"}  # the list is not counted (backend/core/throttling.py)
    # Paginated by hand (APIView); the attribute also documents the envelope in the schema.
    pagination_class = PortalPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=RequestStatus.values),
            OpenApiParameter("kind", str, enum=RequestKind.values),
            OpenApiParameter("type", str, enum=RequestType.values),
            OpenApiParameter("contract", int),
        ],
        responses=RequestListOutputSerializer(many=True),
        operation_id="requests_list",
        description=(
            "The active company's requests the user may see (their contracts' and the company's), newest first,"
            f" a page at a time. {_WHO_MAY}; a filter value not in its list is 400 `invalid`."
        ),
    )
    def get(self, request):
        query = RequestListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = selectors.list_requests_for_client(
            client=request.active_client, filters=query.validated_data
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(
            RequestListOutputSerializer(page, many=True, context={"lane": "Client"}).data
        )

    @extend_schema(
        request=RequestSubmitInputSerializer,
        responses={201: RequestStepOutputSerializer, 200: RequestStepOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        operation_id="requests_submit",
        examples=SUBMIT_EXAMPLES,
        description=(
            "Submit a request. Its fields follow the kind's `form_schema` from GET /api/requests/catalogue/"
            " (`data` holds the kind's own fields, `declarations` the kind's codes, each `true`); upload files"
            " first (POST /api/requests/attachments/) and send their ids. The body is checked against that"
            " schema as sent, besides the kind's own rules (its contract, amounts, dates): a declaration is"
            ' JSON `true` (not `"yes"` or `1`), a number or a text is of the type the schema gives, and `data`'
            " holds no key the schema does not list. Answers 201 with the request's state; a retry with the"
            " same `Idempotency-Key` answers 200 with the first request. Errors: 400 `invalid` (`fields` names"
            " each wrong field, nested ones with dots: `data.reason`, `declarations.fees`), 409"
            f" `idempotency_key_reused` (the key came with another body), 429 `throttled`. {_WHO_MAY}."
        ),
    )
    def post(self, request):
        key = idempotency_key(request)
        fingerprint = services.request_fingerprint(request.data) if key else ""
        previous = previous_submit(
            user=request.user, client=request.active_client, idempotency_key=key, fingerprint=fingerprint
        )
        if previous is not None:
            return step_response(previous, lane="Client")
        serializer = RequestSubmitInputSerializer(
            data=request.data, context={"client": request.active_client}
        )
        if not serializer.is_valid() and key:
            # A parallel post with this key may have committed since the look-up above, and its request is
            # what this one is refused for (one open request of a kind per contract): answer that request.
            previous = previous_submit(
                user=request.user, client=request.active_client, idempotency_key=key, fingerprint=fingerprint
            )
            if previous is not None:
                return step_response(previous, lane="Client")
        serializer.is_valid(raise_exception=True)
        portal_request, created = submit_validated(
            user=request.user,
            client=request.active_client,
            validated=serializer.validated_data,
            idempotency_key=key,
            fingerprint=fingerprint,
        )
        return step_response(portal_request, lane="Client", status_code=201 if created else 200)


class RequestDetailApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS

    @extend_schema(
        responses=RequestDetailOutputSerializer,
        operation_id="requests_detail",
        description=(
            "One request with its history, attachments, decision and `current_task`: the step waiting for the"
            " client, if any (its `id` is the `task_id` of a reply). Another company's or a contract the user"
            f" may not see: 404 `not_found`. {_WHO_MAY}."
        ),
    )
    def get(self, request, request_id: int):
        portal_request = selectors.get_request_for_client(client=request.active_client, request_id=request_id)
        return detail_response(portal_request, lane="Client")


def refuse_unless_waiting_for_client(portal_request: PortalRequest) -> None:
    """409 task_not_ready for an answer to a request that no longer waits for the client, whatever the
    body: correcting a refused field would not make the step possible. For a body that is refused anyway
    (the step's service checks the state again under its lock)."""
    if portal_request.status != RequestStatus.WAITING_FOR_CLIENT:
        raise stale_reply_refusal(portal_request)


class RequestReplyApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS

    @extend_schema(
        request=ReplyInputSerializer,
        responses=RequestStepOutputSerializer,
        operation_id="requests_reply",
        examples=REPLY_EXAMPLES,
        description=(
            "Answer staff's question while the request waits for the client (`status` `waiting_for_client`);"
            " the request goes back to review. Send `task_id` (`current_task.id` of the request) to be sure the"
            " answer is to the question read. Answers the request's state. Not waiting for the client or"
            " answered meanwhile: 409 `task_not_ready`, whatever the body; else 400 `invalid` for the fields."
            f" {_WHO_MAY}."
        ),
    )
    def post(self, request, request_id: int):
        portal_request = selectors.request_ref(client=request.active_client, request_id=request_id)
        serializer = ReplyInputSerializer(data=request.data)
        if not serializer.is_valid():
            refuse_unless_waiting_for_client(
                selectors.get_request_for_client(client=request.active_client, request_id=request_id)
            )
            serializer.is_valid(raise_exception=True)
        replied = services.reply_to_request(
            user=request.user, portal_request=portal_request, **serializer.validated_data
        )
        return step_response(replied, lane="Client")


class RequestCancelApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS

    @extend_schema(
        request=None,
        responses=RequestStepOutputSerializer,
        operation_id="requests_cancel",
        description=(
            "Withdraw a request not decided yet (no body); answers the request's state, `cancelled`. A request"
            f" already decided, completed or withdrawn: 409 `invalid_transition`. {_WHO_MAY}."
        ),
    )
    def post(self, request, request_id: int):
        portal_request = selectors.request_ref(client=request.active_client, request_id=request_id)
        cancelled = services.cancel_request(user=request.user, portal_request=portal_request)
        return step_response(cancelled, lane="Client")


MESSAGE_KINDS = {
    RequestEvent.Kind.COMMENT,
    RequestEvent.Kind.QUESTION,
    RequestEvent.Kind.REPLY,
    RequestEvent.Kind.DECISION,
}


class RequestCommentsApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS
    throttle_scopes = {"POST": "messages"}  # a comment reaches staff

    @extend_schema(
        responses=RequestEventOutputSerializer(many=True),
        operation_id="requests_comments_list",
        description=(
            "The request's conversation, oldest first: comments, staff's questions, the client's replies and"
            f" the decision. A plain array, not paged. {_WHO_MAY}."
        ),
    )
    def get(self, request, request_id: int):
        portal_request = selectors.get_request_for_client(client=request.active_client, request_id=request_id)
        events = [e for e in portal_request.events.all() if e.kind in MESSAGE_KINDS]
        return Response(RequestEventOutputSerializer(events, many=True).data)

    @extend_schema(
        request=MessageInputSerializer,
        responses={201: RequestEventOutputSerializer},
        operation_id="requests_comments_add",
        examples=COMMENT_EXAMPLES,
        description=(
            "Add a comment for staff while the request is open; it changes no step. Answers 201 with the"
            " comment. 409 `request_closed` once it has ended (decided, completed or cancelled: submit a new"
            f" request or write a message), 400 `invalid` for the fields, 429 `throttled`. {_WHO_MAY}."
        ),
    )
    def post(self, request, request_id: int):
        portal_request = selectors.request_ref(client=request.active_client, request_id=request_id)
        serializer = MessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.add_comment(
            user=request.user, portal_request=portal_request, **serializer.validated_data
        )
        return comment_response(event, attachment_ids=serializer.validated_data["attachment_ids"])


class RequestAttachmentUploadApi(APIView):
    """Upload first, then send the ids with the request, reply or comment: a failed submit loses no file."""

    permission_classes = [(IsClientUser & HasClientArea) | IsBackOffice]
    client_area = Area.REQUESTS
    throttle_scopes = {"POST": "uploads"}
    parser_classes = [PortalMultiPartParser]

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadInputSerializer},
        responses={201: RequestAttachmentOutputSerializer},
        operation_id="requests_attachments_upload",
    )
    def post(self, request):
        serializer = AttachmentUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = request.active_client  # None for staff
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


class RequestAttachmentDownloadApi(FileDownloadApi):
    file_media_types = STORED_FILE_TYPES
    permission_classes = [(IsClientUser & HasClientArea) | IsBackOffice]
    client_area = Area.REQUESTS

    @extend_schema(
        responses=stored_file_responses("The attachment"),
        operation_id="requests_attachments_download",
    )
    def get(self, request, attachment_id: int):
        client = request.active_client  # None for staff
        attachment = selectors.get_attachment_for_user(
            user=request.user, client=client, attachment_id=attachment_id
        )
        return stored_file_response(
            attachment.file.open("rb"),
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


class RequestDecisionDocumentApi(FileDownloadApi):
    file_media_types = STORED_FILE_TYPES
    permission_classes = [(IsClientUser & HasClientArea) | IsBackOffice]
    client_area = Area.REQUESTS

    @extend_schema(
        responses=stored_file_responses("The decision document (DOCX)"),
        operation_id="requests_decision_document",
    )
    def get(self, request, request_id: int):
        if request.user.is_client_user:
            portal_request = selectors.get_request_for_client(
                client=request.active_client, request_id=request_id
            )
        else:
            portal_request = selectors.get_request_for_staff(request_id=request_id)
        document = portal_request.decision_document
        if document is None:
            raise NotFound()
        return stored_file_response(
            document.file.open("rb"),
            filename=document_filename(document),  # in the downloader's language
            content_type=document.content_type,
        )
