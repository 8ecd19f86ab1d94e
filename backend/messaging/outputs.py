"""The messaging API's answers: threads, their messages, attachments and internal notes, as a client and
as staff see them (the views are in apis.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.accounts.models import User
from backend.messaging.models import InternalNote, Message, MessageAttachment, MessageThread


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MessageAttachment
        fields = ["id", "original_name", "content_type", "size"]


class UploadedAttachmentSerializer(serializers.ModelSerializer):
    """An upload not yet in a message: send its id in `attachment_ids` with the message."""

    class Meta:
        model = MessageAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256"]


class MessageSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "author_name",
            "is_from_staff",
            "is_final_answer",
            "body",
            "created_at",
            "attachments",
        ]

    def get_author_name(self, message: Message) -> str:
        return message.author_name_for_client  # staff as "Customer service", like the client's pages


class StaffMessageSerializer(MessageSerializer):
    """Staff read who wrote each message by name."""

    def get_author_name(self, message: Message) -> str:
        return _user_name(message.author) or ""


class ThreadListSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    contract_number = serializers.CharField(
        source="contract.number", read_only=True, allow_null=True, default=None
    )
    message_count = serializers.IntegerField(read_only=True)
    has_final_answer = serializers.SerializerMethodField()

    class Meta:
        model = MessageThread
        fields = [
            "id",
            "subject",
            "category",
            "category_label",
            "status",
            "status_label",
            "contract_id",
            "contract_number",
            "created_at",
            "last_message_at",
            "message_count",
            "has_final_answer",
        ]

    def get_has_final_answer(self, thread: MessageThread) -> bool:
        return bool(thread.final_answer)


# A thread and a part of its messages, oldest first (selectors.thread_page_messages): the context gives
# `part` and `earlier`, the address of the part before it (None when nothing is left out); thread_parts.py.
class ThreadDetailSerializer(ThreadListSerializer):
    messages = serializers.SerializerMethodField(
        help_text="A part of the thread, oldest first: the newest messages (or those before `before`), or in"
        " the answer of a comment or reply the one message it wrote."
    )
    message_count = serializers.SerializerMethodField(help_text="The thread's messages in all.")
    earlier_count = serializers.SerializerMethodField(help_text="Messages before those in `messages`.")
    earlier = serializers.SerializerMethodField(
        help_text="The address of the messages before these (`?before=<id of the first here>`); null when"
        " there are none."
    )

    class Meta(ThreadListSerializer.Meta):
        fields = [
            *(f for f in ThreadListSerializer.Meta.fields if f != "message_count"),
            "final_answer",
            "final_answer_at",
            "messages",
            "message_count",
            "earlier_count",
            "earlier",
        ]

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, thread: MessageThread) -> list:
        return MessageSerializer(self.context["part"].messages, many=True).data

    def get_message_count(self, thread: MessageThread) -> int:
        return self.context["part"].total

    def get_earlier_count(self, thread: MessageThread) -> int:
        return self.context["part"].earlier_count

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_earlier(self, thread: MessageThread) -> str | None:
        return self.context.get("earlier")


def _user_name(user: User | None) -> str | None:
    return (user.get_full_name() or user.email) if user is not None else None


class StaffThreadListSerializer(ThreadListSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    waiting_since = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Unanswered threads: the client's first message no staff message has followed yet; "
        "null otherwise. The unanswered queue lists the longest waiting first.",
    )

    class Meta(ThreadListSerializer.Meta):
        fields = [
            *ThreadListSerializer.Meta.fields,
            "client_id",
            "client_name",
            "assignee_id",
            "assignee_name",
            "waiting_since",
        ]

    def get_assignee_name(self, thread: MessageThread) -> str | None:
        return _user_name(thread.assignee)


class InternalNoteSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = InternalNote
        fields = ["id", "author_name", "body", "created_at"]

    def get_author_name(self, note: InternalNote) -> str:
        return _user_name(note.author) or ""


# The context also gives `notes` (selectors.ThreadPageNotes) and `notes_earlier`, the address of the notes
# before them (thread_parts.py).
class StaffThreadDetailSerializer(ThreadDetailSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    internal_notes = serializers.SerializerMethodField(
        help_text="A part of the thread's internal notes, oldest first: the newest ones (or those before"
        " `notes_before`)."
    )
    internal_note_count = serializers.SerializerMethodField(help_text="The thread's internal notes in all.")
    internal_notes_earlier_count = serializers.SerializerMethodField(
        help_text="Internal notes before those in `internal_notes`."
    )
    internal_notes_earlier = serializers.SerializerMethodField(
        help_text="The address of the internal notes before these (`?notes_before=<id of the first here>`);"
        " null when there are none."
    )

    class Meta(ThreadDetailSerializer.Meta):
        fields = [
            *ThreadDetailSerializer.Meta.fields,
            "client_id",
            "client_name",
            "assignee_id",
            "assignee_name",
            "assigned_at",
            "internal_notes",
            "internal_note_count",
            "internal_notes_earlier_count",
            "internal_notes_earlier",
        ]

    def get_assignee_name(self, thread: MessageThread) -> str | None:
        return _user_name(thread.assignee)

    @extend_schema_field(InternalNoteSerializer(many=True))
    def get_internal_notes(self, thread: MessageThread) -> list:
        return InternalNoteSerializer(self.context["notes"].notes, many=True).data

    def get_internal_note_count(self, thread: MessageThread) -> int:
        return self.context["notes"].total

    def get_internal_notes_earlier_count(self, thread: MessageThread) -> int:
        return self.context["notes"].earlier_count

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_internal_notes_earlier(self, thread: MessageThread) -> str | None:
        return self.context.get("notes_earlier")

    @extend_schema_field(StaffMessageSerializer(many=True))
    def get_messages(self, thread: MessageThread) -> list:
        return StaffMessageSerializer(self.context["part"].messages, many=True).data
