"""Messages (Wiadomości): the client's correspondence and the customer service inbox."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import FormParser
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.core.exceptions import NotFound, PortalValidationError
from backend.core.file_downloads import FileDownloadApi
from backend.core.filters import parse_id
from backend.core.idempotency import IDEMPOTENCY_HEADER, idempotency_key
from backend.core.parsers import PortalJSONParser, PortalMultiPartParser
from backend.core.permissions import IsBackOffice, IsClientUser
from backend.documents.downloads import STORED_FILE_TYPES, stored_file_response, stored_file_responses
from backend.messaging.attachments import upload_attachment
from backend.messaging.client_writes import send_client_comment, send_new_thread
from backend.messaging.filters import ClientThreadFilter, StaffInboxFilter
from backend.messaging.idempotency import sent_thread
from backend.messaging.inputs import (
    AssignInputSerializer,
    CommentInputSerializer,
    FinalAnswerInputSerializer,
    InternalNoteInputSerializer,
    MessageAttachmentUploadInputSerializer,
    NewThreadInputSerializer,
    StaffThreadQuerySerializer,
    ThreadMessagesQuerySerializer,
    checked_attachments,
)
from backend.messaging.models import MessageAttachment, MessageThread
from backend.messaging.outputs import (
    StaffThreadDetailSerializer,
    StaffThreadListSerializer,
    ThreadDetailSerializer,
    ThreadListSerializer,
    UploadedAttachmentSerializer,
)
from backend.messaging.selectors import (
    ThreadPageMessages,
    get_attachment_for_client,
    get_attachment_for_staff,
    get_thread_for_client,
    get_thread_for_staff,
    list_threads_for_client,
    list_threads_for_staff,
    thread_page_notes,
)
from backend.messaging.staff_writes import (
    add_internal_note,
    assign_thread,
    send_staff_reply,
    set_final_answer,
)
from backend.messaging.thread_parts import (
    NOTES_TEXT,
    PART_EXAMPLE,
    PART_TEXT,
    WRITTEN_TEXT,
    asked_notes,
    asked_part,
    newest_part,
    thread_answer,
    written_part,
)

PARSERS = [PortalMultiPartParser, FormParser, PortalJSONParser]


DOWNLOAD = stored_file_responses(gettext_lazy("The attachment"))


def _attachment_response(attachment: MessageAttachment):
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    return stored_file_response(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )


# --- client --------------------------------------------------------------------------------------


class ThreadListCreateApi(generics.ListAPIView):
    """The whole correspondence of the active client (GET) or a new message to the lessor (POST)."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.MESSAGES
    serializer_class = ThreadListSerializer
    filterset_class = ClientThreadFilter
    parser_classes = PARSERS
    throttle_scopes = {"POST": "messages"}  # the list is not counted (backend/core/throttling.py)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MessageThread.objects.none()
        return list_threads_for_client(client=self.request.active_client)

    @extend_schema(
        request=NewThreadInputSerializer,
        responses={201: ThreadDetailSerializer, 200: ThreadDetailSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        description=(
            "Write a new message to the lessor: answers 201 with the new thread. With an `Idempotency-Key`, a"
            " retry answers 200 with the thread the first call made, and the key reused with anything else posted"
            " (subject, category, contract, text or files) 409 `idempotency_key_reused`. Files: upload them first"
            " (POST /api/messages/attachments/) and send `attachment_ids` in JSON, or send them as `attachments`"
            " in a multipart form. Errors: 400 `invalid` (`fields`), 409 `idempotency_key_reused`, 429 `throttled`."
            " Client users whose role covers messages (else 403 `permission_denied`)."
        ),
        examples=[
            OpenApiExample(
                "New message",
                value={
                    "subject": "Invoice FV/2026/11/0042",
                    "category": "invoices",
                    "contract_id": 42,
                    "body": "The invoice shows the old address. Please issue a correction.",
                    "attachment_ids": [],
                },
                media_type="application/json",
                request_only=True,
            )
        ],
    )
    def post(self, request):
        client = request.active_client
        key = idempotency_key(request)
        serializer = NewThreadInputSerializer(data=request.data, context={"client": client})
        serializer.is_valid(raise_exception=True)
        fields = serializer.thread_fields()
        files = checked_attachments(request)
        # A retry with the key answers the first post's thread before its files are stored; the same key
        # with anything else posted (subject, category, contract, text, files) is 409 idempotency_key_reused.
        thread = sent_thread(user=request.user, client=client, idempotency_key=key, files=files, **fields)
        created = False
        if thread is None:
            thread, created = send_new_thread(
                user=request.user, client=client, files=files, idempotency_key=key, **fields
            )
        thread = get_thread_for_client(client=client, thread_id=thread.pk, with_messages=False)
        return Response(_client_answer(request, thread, newest_part(thread)), status=201 if created else 200)


class ThreadDetailApi(APIView):
    """One thread: the messages, the lessor's final answer and the attachments."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.MESSAGES

    @extend_schema(
        parameters=[ThreadMessagesQuerySerializer],
        responses=OpenApiResponse(ThreadDetailSerializer, examples=[PART_EXAMPLE]),
        description="One thread of the active client." + PART_TEXT,
    )
    def get(self, request, thread_id: int):
        thread = get_thread_for_client(client=request.active_client, thread_id=thread_id, with_messages=False)
        part, limit = asked_part(request, thread)
        return Response(_client_answer(request, thread, part, limit=limit))


def _client_answer(request, thread: MessageThread, part: ThreadPageMessages, *, limit: int | None = None):
    return thread_answer(
        ThreadDetailSerializer,
        request=request,
        thread=thread,
        part=part,
        url_name="message-thread",
        limit=limit,
    )


class ThreadCommentApi(APIView):
    """Add a comment ("Dodaj komentarz") with optional attachments."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.MESSAGES
    parser_classes = PARSERS
    throttle_scopes = {"POST": "messages"}

    @extend_schema(
        request=CommentInputSerializer,
        responses={201: ThreadDetailSerializer, 200: ThreadDetailSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        description=(
            "Add a comment to the thread: answers 201 with the comment. With an `Idempotency-Key`, a retry"
            " answers 200 with the comment the first call added (nothing is added again), and the key reused"
            " with another text or other files 409 `idempotency_key_reused`." + WRITTEN_TEXT + " Errors: 400"
            " `invalid` (`fields`), 404 `not_found`, 429 `throttled`."
        ),
    )
    def post(self, request, thread_id: int):
        key = idempotency_key(request)
        thread = get_thread_for_client(client=request.active_client, thread_id=thread_id, with_messages=False)
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message, created = send_client_comment(
            user=request.user,
            thread=thread,
            body=serializer.validated_data["body"],
            attachment_ids=serializer.validated_data.get("attachment_ids", []),
            files=checked_attachments(request),
            idempotency_key=key,
        )
        thread = get_thread_for_client(client=request.active_client, thread_id=thread_id, with_messages=False)
        return Response(
            _client_answer(request, thread, written_part(thread, message)), status=201 if created else 200
        )


class MessageAttachmentUploadApi(APIView):
    """Upload first, then send the ids with the message, comment or reply: a failed send loses no file."""

    permission_classes = [(IsClientUser & HasClientArea) | IsBackOffice]
    client_area = Area.MESSAGES
    parser_classes = [PortalMultiPartParser]
    throttle_scopes = {"POST": "uploads"}

    @extend_schema(
        request={"multipart/form-data": MessageAttachmentUploadInputSerializer},
        responses={201: UploadedAttachmentSerializer},
        operation_id="messages_attachments_upload",
    )
    def post(self, request):
        serializer = MessageAttachmentUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = request.active_client  # None for staff
        if client is None:
            client = self._staff_client(request)
        attachment = upload_attachment(
            user=request.user, client=client, uploaded=serializer.validated_data["file"]
        )
        return Response(UploadedAttachmentSerializer(attachment).data, status=201)

    @staticmethod
    def _staff_client(request):
        """Staff attach files to a reply in a given thread: the file belongs to that thread's client."""
        thread_id = parse_id(request.query_params.get("thread") or request.data.get("thread"))
        if not (request.user.is_back_office and thread_id is not None):
            message = PortalValidationError().message
            raise PortalValidationError(message, fields={"thread": [message]})
        return get_thread_for_staff(thread_id=thread_id, with_messages=False).client


class AttachmentDownloadApi(FileDownloadApi):
    file_media_types = STORED_FILE_TYPES
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.MESSAGES

    @extend_schema(responses=DOWNLOAD)
    def get(self, request, attachment_id: int):
        return _attachment_response(
            get_attachment_for_client(client=request.active_client, attachment_id=attachment_id)
        )


# --- staff ---------------------------------------------------------------------------------------


class StaffInboxApi(generics.ListAPIView):
    """Customer service inbox: every client's threads, latest activity first."""

    permission_classes = [IsBackOffice]
    serializer_class = StaffThreadListSerializer
    filterset_class = StaffInboxFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MessageThread.objects.none()
        return list_threads_for_staff()


class StaffThreadDetailApi(APIView):
    permission_classes = [IsBackOffice]

    @extend_schema(
        parameters=[StaffThreadQuerySerializer],
        responses=StaffThreadDetailSerializer,
        description=(
            "One thread of any client for the back office: messages with their authors, internal notes,"
            " attachments, assignee and final answer." + PART_TEXT + NOTES_TEXT
        ),
    )
    def get(self, request, thread_id: int):
        thread = get_thread_for_staff(thread_id=thread_id, with_messages=False)
        part, limit = asked_part(request, thread)
        notes, notes_limit = asked_notes(request, thread)
        return Response(
            thread_answer(
                StaffThreadDetailSerializer,
                request=request,
                thread=thread,
                part=part,
                url_name="staff-message-thread",
                limit=limit,
                notes=notes,
                notes_limit=notes_limit,
            )
        )


def _staff_answer(request, thread_id: int, part: ThreadPageMessages):
    """The thread as a write left it (its status, assignee, newest notes) with `part` of its messages."""
    thread = get_thread_for_staff(thread_id=thread_id, with_messages=False)
    return thread_answer(
        StaffThreadDetailSerializer,
        request=request,
        thread=thread,
        part=part,
        url_name="staff-message-thread",
        notes=thread_page_notes(thread=thread),
    )


class StaffReplyApi(APIView):
    """Answer the client (the thread becomes answered; the client is notified)."""

    permission_classes = [IsBackOffice]
    parser_classes = PARSERS
    throttle_scopes = {"POST": "messages"}

    @extend_schema(
        request=CommentInputSerializer,
        responses={201: StaffThreadDetailSerializer, 200: StaffThreadDetailSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        description=(
            "Answer the client: answers 201 with the reply. With an `Idempotency-Key`, a retry answers 200"
            " with the reply the first call wrote (nothing is sent again), and the key reused with another"
            " text or other files 409 `idempotency_key_reused`." + WRITTEN_TEXT + " Errors: 400 `invalid`"
            " (`fields`), 404 `not_found`, 409 `invalid_transition` (the thread is closed), 429 `throttled`."
        ),
    )
    def post(self, request, thread_id: int):
        key = idempotency_key(request)
        thread = get_thread_for_staff(thread_id=thread_id, with_messages=False)
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message, created = send_staff_reply(
            user=request.user,
            thread=thread,
            body=serializer.validated_data["body"],
            attachment_ids=serializer.validated_data.get("attachment_ids", []),
            files=checked_attachments(request),
            idempotency_key=key,
        )
        return Response(
            _staff_answer(request, thread_id, written_part(thread, message)), status=201 if created else 200
        )


class StaffFinalAnswerApi(APIView):
    """Set the lessor's final answer; it closes the thread."""

    permission_classes = [IsBackOffice]
    throttle_scopes = {"POST": "messages"}

    @extend_schema(request=FinalAnswerInputSerializer, responses=StaffThreadDetailSerializer)
    def post(self, request, thread_id: int):
        thread = get_thread_for_staff(thread_id=thread_id, with_messages=False)
        serializer = FinalAnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        set_final_answer(user=request.user, thread=thread, body=serializer.validated_data["body"])
        return Response(_staff_answer(request, thread_id, newest_part(thread)))


class StaffAttachmentDownloadApi(FileDownloadApi):
    file_media_types = STORED_FILE_TYPES
    permission_classes = [IsBackOffice]

    @extend_schema(responses=DOWNLOAD)
    def get(self, request, attachment_id: int):
        return _attachment_response(get_attachment_for_staff(attachment_id=attachment_id))


class StaffAssignApi(APIView):
    """Assign the thread to a staff member, take it over (your own id) or release it (null)."""

    permission_classes = [IsBackOffice]

    @extend_schema(request=AssignInputSerializer, responses=StaffThreadDetailSerializer)
    def post(self, request, thread_id: int):
        thread = get_thread_for_staff(thread_id=thread_id, with_messages=False)
        serializer = AssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assign_thread(
            user=request.user,
            thread=thread,
            assignee=serializer.validated_data["assignee_id"],
            **serializer.expectation(),
        )
        return Response(_staff_answer(request, thread_id, newest_part(thread)))


class StaffInternalNoteApi(APIView):
    """Add an internal note for other staff; the client never sees it."""

    permission_classes = [IsBackOffice]

    @extend_schema(request=InternalNoteInputSerializer, responses={201: StaffThreadDetailSerializer})
    def post(self, request, thread_id: int):
        thread = get_thread_for_staff(thread_id=thread_id, with_messages=False)
        serializer = InternalNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        add_internal_note(user=request.user, thread=thread, body=serializer.validated_data["body"])
        return Response(_staff_answer(request, thread_id, newest_part(thread)), status=201)
