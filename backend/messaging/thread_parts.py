"""The part of a thread an API answer holds, as the pages show one (selectors.thread_page_messages): a
thread's detail answers its newest messages with a cursor to the earlier ones (`before`, `limit`); a post
that writes a message answers that message, with the cursor to the ones before it. A 466-message thread was
hundreds of KB in every answer (the detail and each comment's or reply's). Staff answers part the internal
notes the same way (`notes_before`, `notes_limit`; selectors.thread_page_notes)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from backend.core.exceptions import PortalValidationError
from backend.messaging.inputs import (
    MAX_THREAD_MESSAGES,
    StaffThreadQuerySerializer,
    ThreadMessagesQuerySerializer,
)
from backend.messaging.models import Message, MessageThread
from backend.messaging.outputs import ThreadDetailSerializer
from backend.messaging.selectors import (
    THREAD_PAGE_MESSAGES,
    THREAD_PAGE_NOTES,
    ThreadPageMessages,
    ThreadPageNotes,
    thread_page_messages,
    thread_page_notes,
)


def asked_part(request: Request, thread: MessageThread) -> tuple[ThreadPageMessages, int | None]:
    """The part of the thread the query asks for (the newest `limit`, or those before `before`) and the
    limit chosen; a `before` not of this thread is 400: the newest part instead would send a client walking
    back through the thread round in a circle."""
    query = ThreadMessagesQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    before, limit = query.validated_data.get("before"), query.used_limit()
    part = thread_page_messages(
        thread=thread, before=before, newest=limit or THREAD_PAGE_MESSAGES, question_apart=False
    )
    if before is not None and not part.later_count:
        message = _("Not a message of this thread.")
        raise PortalValidationError(message, fields={"before": [message]})
    return part, limit


def newest_part(thread: MessageThread) -> ThreadPageMessages:
    """The newest part, as a GET without a query answers it (after a write that adds no message to read)."""
    return thread_page_messages(thread=thread, question_apart=False)


def written_part(thread: MessageThread, message: Message) -> ThreadPageMessages:
    """The one message a post wrote (or its retry found), with the count of the messages before it."""
    return thread_page_messages(thread=thread, through=message.pk, newest=1, question_apart=False)


def asked_notes(request: Request, thread: MessageThread) -> tuple[ThreadPageNotes, int | None]:
    """The part of the thread's internal notes the query asks for (the newest `notes_limit`, or those before
    `notes_before`) and the limit chosen; a `notes_before` not of this thread is 400, as `before` is."""
    query = StaffThreadQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    before, limit = query.validated_data.get("notes_before"), query.used_notes_limit()
    notes = thread_page_notes(thread=thread, before=before, newest=limit or THREAD_PAGE_NOTES)
    if before is not None and not notes.later_count:
        message = _("Not an internal note of this thread.")
        raise PortalValidationError(message, fields={"notes_before": [message]})
    return notes, limit


def _earlier_link(
    request: Request,
    thread: MessageThread,
    *,
    url_name: str,
    cursor: tuple[str, int],
    limit: tuple[str, int | None],
) -> str:
    """The address of the part before this one on the thread's own address: `cursor` and `limit` are
    (query parameter, value); a limit the caller did not choose is left out."""
    link = replace_query_param(request.build_absolute_uri(reverse(url_name, args=[thread.pk])), *cursor)
    return replace_query_param(link, *limit) if limit[1] is not None else link


def thread_answer(
    serializer_class: type[ThreadDetailSerializer],
    *,
    request: Request,
    thread: MessageThread,
    part: ThreadPageMessages,
    url_name: str,
    limit: int | None = None,
    notes: ThreadPageNotes | None = None,
    notes_limit: int | None = None,
) -> dict:
    """The answer of a thread with `part` of its messages, linking to the part before it on the thread's
    own address (`url_name`); `limit`, when the caller chose one, is kept in that link. A staff answer
    gives `notes`, a part of the internal notes, linked to the notes before it in the same way."""
    earlier = notes_earlier = None
    if part.earlier_count and part.messages:
        first = ("before", part.messages[0].pk)
        earlier = _earlier_link(request, thread, url_name=url_name, cursor=first, limit=("limit", limit))
    if notes is not None and notes.earlier_count and notes.notes:
        first = ("notes_before", notes.notes[0].pk)
        notes_earlier = _earlier_link(
            request, thread, url_name=url_name, cursor=first, limit=("notes_limit", notes_limit)
        )
    context = {"part": part, "earlier": earlier, "notes": notes, "notes_earlier": notes_earlier}
    return serializer_class(thread, context=context).data


# The words of the schema (apis.py).
PART_TEXT = (
    f" The answer holds the newest messages (`limit`, default {THREAD_PAGE_MESSAGES}, at most"
    f" {MAX_THREAD_MESSAGES}), oldest first, and the thread's `message_count`; `earlier` is the address of"
    " the messages before them (`before=<message id>`), null when there are none. A `before` not of the"
    " thread is 400 `invalid`."
)
NOTES_TEXT = (
    f" Internal notes are parted likewise: the newest (`notes_limit`, default {THREAD_PAGE_NOTES}, at most"
    f" {MAX_THREAD_MESSAGES}), oldest first, with `internal_note_count` and `internal_notes_earlier_count`;"
    " `internal_notes_earlier` is the address of the notes before them (`notes_before=<note id>`), null when"
    " there are none. A `notes_before` not of the thread is 400 `invalid`."
)
WRITTEN_TEXT = (
    " The answer is the thread's header with the message written (`messages`: that one), `earlier` the"
    " address of the messages before it."
)
PART_EXAMPLE = OpenApiExample(
    "The newest two messages of a long thread (?limit=2)",
    value={
        "id": 42,
        "subject": "Invoice FV/2026/11/0042",
        "category": "invoices",
        "category_label": "Invoices",
        "status": "answered",
        "status_label": "Answered",
        "contract_id": 7,
        "contract_number": "UL/2026/000777",
        "created_at": "2026-11-02T09:15:00+01:00",
        "last_message_at": "2026-11-27T14:03:00+01:00",
        "has_final_answer": False,
        "final_answer": "",
        "final_answer_at": None,
        "messages": [
            {
                "id": 9120,
                "author_name": "Anna Nowak",
                "is_from_staff": False,
                "is_final_answer": False,
                "body": "Is the correction issued?",
                "created_at": "2026-11-27T10:41:00+01:00",
                "attachments": [],
            },
            {
                "id": 9131,
                "author_name": "Customer service",
                "is_from_staff": True,
                "is_final_answer": False,
                "body": "Yes, it is attached.",
                "created_at": "2026-11-27T14:03:00+01:00",
                "attachments": [
                    {
                        "id": 301,
                        "original_name": "korekta.pdf",
                        "content_type": "application/pdf",
                        "size": 48211,
                    }
                ],
            },
        ],
        "message_count": 466,
        "earlier_count": 464,
        "earlier": "https://portal.example/api/messages/42/?before=9120&limit=2",
    },
    response_only=True,
)
