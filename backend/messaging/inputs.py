"""Input of the messaging steps (new thread, comment, reply, final answer, note, assignment), shared by
the REST API and the portal's pages, so a page and the API never disagree about what is valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

from django.utils.translation import gettext as _
from rest_framework import serializers

from backend.accounts.customer_service import NOT_ASSIGNABLE, assignable_staff
from backend.accounts.models import User
from backend.clients.access_rules import restrict
from backend.contracts.models import Contract
from backend.core.exceptions import PortalValidationError
from backend.core.file_fields import OneFileField
from backend.core.filters import id_field, id_query_field, parse_id
from backend.core.text_fields import MultilineTextField, SingleLineTextField
from backend.documents.uploads import CheckedUpload, check_upload, one_per_content
from backend.messaging.attachments import MAX_ATTACHMENTS, MAX_POSTED_ATTACHMENTS
from backend.messaging.models import MessageThread
from backend.messaging.selectors import THREAD_PAGE_MESSAGES, THREAD_PAGE_NOTES

# The most messages one answer of a thread holds (`limit`): a page, not the whole history again.
MAX_THREAD_MESSAGES = 100


def checked_attachments(request) -> list[CheckedUpload]:
    """Check every uploaded file by its content, one per content; report problems under the `attachments`
    field. The limit counts distinct contents (those of the post's ids are added by the service)."""
    files = request.FILES.getlist("attachments")
    if len(files) > MAX_POSTED_ATTACHMENTS:
        _refuse_count()
    checked, errors = [], []
    for uploaded in files:
        try:
            checked.append(check_upload(uploaded, name=uploaded.name))
        except PortalValidationError as error:
            errors.append(error.message)  # names the file
    if errors:
        raise PortalValidationError(fields={"attachments": errors})
    checked = one_per_content(checked)
    if len(checked) > MAX_ATTACHMENTS:
        _refuse_count()
    return checked


def _refuse_count() -> NoReturn:
    message = _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}
    raise PortalValidationError(message, fields={"attachments": [message]})


class _TextOnly:
    """A number or a boolean is not a message: DRF's CharField took 123 as "123"; here it is the field's
    400 "Not a valid string." (a page's form always posts text)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SubjectField(_TextOnly, SingleLineTextField):
    pass


class BodyField(_TextOnly, MultilineTextField):
    pass


class MessageAttachmentUploadInputSerializer(serializers.Serializer):
    file = OneFileField()
    thread = id_field(required=False, help_text="Staff only: the thread whose client the file is for.")


class NewThreadInputSerializer(serializers.Serializer):
    """Every field is required; the contract only when the client has contracts (otherwise it is left out)."""

    subject = SubjectField(max_length=200)
    category = serializers.ChoiceField(choices=MessageThread.Category.choices)
    contract_id = id_field(required=False, allow_null=True)
    body = BodyField(max_length=5000)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, write_only=True)
    attachment_ids = serializers.ListField(
        child=id_field(),
        required=False,
        max_length=MAX_POSTED_ATTACHMENTS,
        help_text=(
            f"Ids from POST /api/messages/attachments/ (your own uploads, not yet in a message). At most"
            f" {MAX_ATTACHMENTS} files with those posted as `attachments`, one per content: a file sent again"
            " is taken once."
        ),
    )

    def to_internal_value(self, data):
        errors: dict = {}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors, value = dict(exc.detail), {}
        # A body that is no object at all (a list, a number) is already refused: nothing to look up in it.
        if "contract_id" not in errors and isinstance(data, Mapping):
            contract, message = self._contract(data)
            if message:
                errors["contract_id"] = [message]
            value["contract"] = contract
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def thread_fields(self) -> dict:
        """The validated thread as client_writes.start_thread takes it (posted files are checked on their own)."""
        fields = ("subject", "category", "body", "contract")
        return {name: self.validated_data[name] for name in fields} | {
            "attachment_ids": self.validated_data.get("attachment_ids", [])
        }

    def _contract(self, data) -> tuple[Contract | None, str]:
        client = self.context["client"]
        raw = data.get("contract_id")
        if raw in (None, ""):
            if Contract.objects.filter(client=client).exists():
                return None, _("Choose the contract the message is about.")
            return None, ""
        contract_id = parse_id(raw)
        contracts = restrict(Contract.objects.filter(client=client), client, "pk")
        contract = contracts.filter(pk=contract_id).first() if contract_id else None
        return contract, "" if contract else _("Choose one of your contracts.")


class CommentInputSerializer(serializers.Serializer):
    body = BodyField(max_length=5000)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, write_only=True)
    attachment_ids = serializers.ListField(
        child=id_field(),
        required=False,
        max_length=MAX_POSTED_ATTACHMENTS,
        help_text=(
            f"Ids from POST /api/messages/attachments/ (your own uploads, not yet in a message). At most"
            f" {MAX_ATTACHMENTS} files with those posted as `attachments`, one per content: a file sent again"
            " is taken once."
        ),
    )


class ThreadMessagesQuerySerializer(serializers.Serializer):
    """Which part of a thread to answer: the newest `limit` messages, or the `limit` before `before`."""

    before = id_query_field(
        help_text="A message of the thread: answer the messages before it (the `earlier` link sets it)."
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=f"Messages at most, a whole number from 1 (default {THREAD_PAGE_MESSAGES}); more than"
        f" {MAX_THREAD_MESSAGES} gives {MAX_THREAD_MESSAGES}.",
    )

    def used_limit(self) -> int | None:
        """The limit used (at most MAX_THREAD_MESSAGES); None when the caller chose none."""
        limit = self.validated_data.get("limit")
        return None if limit is None else min(limit, MAX_THREAD_MESSAGES)


class StaffThreadQuerySerializer(ThreadMessagesQuerySerializer):
    """The staff thread's parts: its messages as the client's thread, and its internal notes likewise."""

    notes_before = id_query_field(
        help_text="An internal note of the thread: answer the notes before it (`internal_notes_earlier` sets it)."
    )
    notes_limit = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=f"Internal notes at most, a whole number from 1 (default {THREAD_PAGE_NOTES}); more than"
        f" {MAX_THREAD_MESSAGES} gives {MAX_THREAD_MESSAGES}.",
    )

    def used_notes_limit(self) -> int | None:
        """The notes' limit used (at most MAX_THREAD_MESSAGES); None when the caller chose none."""
        limit = self.validated_data.get("notes_limit")
        return None if limit is None else min(limit, MAX_THREAD_MESSAGES)


class FinalAnswerInputSerializer(serializers.Serializer):
    body = BodyField(max_length=5000)


class InternalNoteInputSerializer(serializers.Serializer):
    body = BodyField(max_length=5000)


class AssignInputSerializer(serializers.Serializer):
    """`assignee_id`: the staff member to give the thread to (your own id takes it over); null releases it.

    `expected_assignee_id` (optional): who you saw holding the thread (null: nobody); when it has changed
    hands since, nothing changes and the answer is 409.
    """

    assignee_id = id_field(allow_null=True)
    expected_assignee_id = id_field(required=False, allow_null=True)

    def expectation(self) -> dict:
        """The service's `expected_assignee_id` keyword when the caller sent one (nothing checked otherwise)."""
        data = self.validated_data
        return (
            {"expected_assignee_id": data["expected_assignee_id"]} if "expected_assignee_id" in data else {}
        )

    def validate_assignee_id(self, value: int | None) -> User | None:
        if value is None:
            return None
        assignee = assignable_staff().filter(pk=value).first()
        if assignee is None:
            raise serializers.ValidationError(NOT_ASSIGNABLE)
        return assignee
