"""Reads of message threads: the client's own correspondence and the staff inbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from backend.accounts.models import User
from backend.clients.access_rules import restrict
from backend.clients.models import Client
from backend.core.exceptions import NotFound
from backend.messaging.filters import Queue, queue_condition
from backend.messaging.models import InternalNote, Message, MessageAttachment, MessageThread


def _with_counts(threads: QuerySet[MessageThread]) -> QuerySet[MessageThread]:
    # A correlated count, not a JOIN + GROUP BY: the page can then be read straight off the
    # latest-activity index instead of grouping every thread first.
    count = (
        Message.objects.filter(thread=OuterRef("pk"))
        .order_by()
        .values("thread")
        .annotate(n=Count("id"))
        .values("n")
    )
    return threads.select_related("contract", "client").annotate(
        message_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    )


def waiting_since() -> Case:
    """When the client started waiting on an unanswered thread: its first message no staff message has
    followed (so a client who chases an unanswered question still waits since the question). Null on
    other threads. A correlated subquery over the (thread, created_at) index: no extra query per page."""
    answered = Message.objects.filter(
        thread=OuterRef("thread"), is_from_staff=True, created_at__gt=OuterRef("created_at")
    )
    first = (
        Message.objects.filter(thread=OuterRef("pk"), is_from_staff=False)
        .filter(~Exists(answered))
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    return Case(
        When(status=MessageThread.Status.OPEN, then=Subquery(first)),
        default=None,
        output_field=DateTimeField(),
    )


def list_threads_for_client(*, client: Client) -> QuerySet[MessageThread]:
    threads = restrict(MessageThread.objects.filter(client=client), client, author_field="created_by")
    return _with_counts(threads).order_by("-last_message_at", "-id")


def list_threads_for_staff() -> QuerySet[MessageThread]:
    """Every thread, latest activity first, with its count of messages and since when the client waits."""
    return (
        _with_counts(MessageThread.objects.all())
        .select_related("assignee")
        .annotate(waiting_since=waiting_since())
        .order_by("-last_message_at", "-id")
    )


def count_inbox_queues(*, user: User, threads: QuerySet[MessageThread] | None = None) -> dict[str, int]:
    """Return the number of threads in each working view of the inbox, in one query: of every thread, or
    of `threads` only (those a search and filters found: the inbox's tiles then count in each view)."""
    conditions = {queue: queue_condition(queue, user=user) for queue, _label in Queue.CHOICES}
    rows = (
        MessageThread.objects.all()
        if threads is None
        else MessageThread.objects.filter(pk__in=threads.values("pk"))
    )
    counts = rows.aggregate(
        **{queue: Count("pk", filter=condition) for queue, condition in conditions.items()}
    )
    return {queue: counts[queue] or 0 for queue in conditions}


def _with_messages(
    threads: QuerySet[MessageThread], *, with_messages: bool = True
) -> QuerySet[MessageThread]:
    threads = threads.select_related("contract", "client", "final_answer_by")
    if not with_messages:
        return threads
    messages = (
        Message.objects.select_related("author").prefetch_related("attachments").order_by("created_at", "id")
    )
    return threads.prefetch_related(Prefetch("messages", queryset=messages))


def get_thread_for_client(*, client: Client, thread_id: int, with_messages: bool = True) -> MessageThread:
    """One thread of the client; `with_messages=False` leaves its messages to thread_page_messages (the
    pages show a part of a long thread)."""
    threads = restrict(
        MessageThread.objects.filter(client=client, pk=thread_id), client, author_field="created_by"
    )
    thread = _with_messages(threads, with_messages=with_messages).first()
    if thread is None:
        raise NotFound()
    return thread


def get_thread_for_staff(*, thread_id: int, with_messages: bool = True) -> MessageThread:
    """One thread with its messages (unless `with_messages=False`, as get_thread_for_client); its internal
    notes are read a part at a time (thread_page_notes): a thread may hold hundreds."""
    thread = (
        _with_messages(MessageThread.objects.filter(pk=thread_id), with_messages=with_messages)
        .select_related("assignee", "created_by")
        .first()
    )
    if thread is None:
        raise NotFound()
    return thread


# The newest messages a thread page shows at first; "Show earlier messages" adds as many again each time.
THREAD_PAGE_MESSAGES = 30
# The newest internal notes a staff thread page and answer show; earlier ones a part at a time as well.
THREAD_PAGE_NOTES = 30


def _part_keys(rows: QuerySet) -> list[tuple[int, datetime]]:
    """The rows' (id, created_at) in reading order: one narrow read of the thread's index."""
    return list(rows.order_by("created_at", "id").values_list("id", "created_at"))


def _part_bounds(
    ids: list[int],
    *,
    newest: int,
    before: int | None = None,
    through: int | None = None,
    from_id: int | None = None,
) -> tuple[int, int]:
    """Where a part starts and ends in `ids` (reading order): the newest `newest`, ending just before
    `before` or with `through`, and starting at `from_id` when that is earlier; an id not in `ids` is
    ignored (the API's callers check their cursor: an empty `later` part after a `before` is foreign)."""
    end = len(ids)
    if before in ids:
        end = ids.index(before)
    elif through in ids:
        end = ids.index(through) + 1
    start = max(end - newest, 0)
    if from_id in ids:
        start = min(start, ids.index(from_id))
    return start, end


def _part_window(keys: list[tuple[int, datetime]], start: int, end: int) -> Q:
    """The rows from keys[start] up to keys[end] (excluded), by the (created_at, id) order."""
    window = Q()
    if start:
        at = keys[start][1]
        window &= Q(created_at__gt=at) | Q(created_at=at, id__gte=keys[start][0])
    if end < len(keys):
        at = keys[end][1]
        window &= Q(created_at__lt=at) | Q(created_at=at, id__lt=keys[end][0])
    return window


@dataclass(frozen=True)
class ThreadPageMessages:
    """The part of a thread its page shows: the first message (the question, as context), then
    `earlier_count` messages left out, then `messages`, in reading order (up to the newest, unless the part
    ends earlier: `before`, `through`)."""

    first: Message | None  # only when messages are left out after it; else it opens `messages`
    earlier_count: int
    earlier_from: int | None  # the message "Show earlier messages" starts the page at
    messages: list[Message]
    total: int
    whole_from: int | None = None  # the message the whole thread is shown from (the one after the first)
    later_count: int = 0  # messages after `messages` (a part that ends before the newest)


def thread_page_messages(
    *,
    thread: MessageThread,
    from_id: int | None = None,
    newest: int = THREAD_PAGE_MESSAGES,
    before: int | None = None,
    through: int | None = None,
    question_apart: bool = True,
) -> ThreadPageMessages:
    """The messages a thread page shows: the newest `newest`, or from the message `from_id` on when it is
    earlier (a link to a message, "Show earlier messages"); an id not of this thread is ignored.

    The API reads its parts here too: `before` (its cursor) ends the part just before that message,
    `through` (the message a post wrote) with it; `question_apart=False` leaves the first message where it
    falls, since an API client walking back page by page would get it twice.

    The keys in reading order (one narrow read of the thread's index) say where the part starts; only the
    shown messages are read whole, with their authors and attachments: a long thread costs its page the
    part it shows, not the whole history."""
    keys = _part_keys(Message.objects.filter(thread=thread))
    ids = [pk for pk, _at in keys]
    start, end = _part_bounds(ids, newest=newest, before=before, through=through, from_id=from_id)
    if question_apart and start == 1:  # one message left out would be the question, shown apart anyway
        start = 0
    window = _part_window(keys, start, end)
    apart = question_apart and start > 0
    if apart:
        window |= Q(pk=ids[0])
    rows = Message.objects.filter(thread=thread).select_related("author").prefetch_related("attachments")
    messages = list(rows.filter(window).order_by("created_at", "id"))
    if not start:
        return ThreadPageMessages(None, 0, None, messages, len(ids), later_count=len(ids) - end)
    first = messages[0] if apart and messages and messages[0].pk == ids[0] else None
    whole_from = ids[1] if question_apart else ids[0]
    return ThreadPageMessages(
        first=first,
        earlier_count=start - 1 if question_apart else start,
        # The page from `newest` more on; from ids[1] it is the whole thread (start 1 counts as 0).
        earlier_from=ids[max(start - newest, 1 if question_apart else 0)],
        messages=messages[1:] if first else messages,
        total=len(ids),
        whole_from=whole_from,
        later_count=len(ids) - end,
    )


@dataclass(frozen=True)
class ThreadPageNotes:
    """The part of a thread's internal notes a staff page or answer shows, oldest first: `earlier_count`
    notes left out before `notes`, `later_count` after them (a part that ends before the newest)."""

    notes: list[InternalNote]
    earlier_count: int
    earlier_from: int | None  # the note "Show earlier notes" starts the page at
    total: int
    later_count: int = 0


def thread_page_notes(
    *,
    thread: MessageThread,
    newest: int = THREAD_PAGE_NOTES,
    before: int | None = None,
    from_id: int | None = None,
) -> ThreadPageNotes:
    """The internal notes shown: the newest `newest`, those before the note `before` (the API's cursor),
    or from the note `from_id` on (the page's "Show earlier notes"); parted as thread_page_messages parts
    messages, in two queries however many notes the thread has."""
    keys = _part_keys(InternalNote.objects.filter(thread=thread))
    ids = [pk for pk, _at in keys]
    start, end = _part_bounds(ids, newest=newest, before=before, from_id=from_id)
    rows = InternalNote.objects.filter(thread=thread).filter(_part_window(keys, start, end))
    return ThreadPageNotes(
        notes=list(rows.select_related("author").order_by("created_at", "id")),
        earlier_count=start,
        earlier_from=ids[max(start - newest, 0)] if start else None,
        total=len(ids),
        later_count=len(ids) - end,
    )


def get_attachment_for_client(*, client: Client, attachment_id: int) -> MessageAttachment:
    attachments = MessageAttachment.objects.filter(message__thread__client=client, pk=attachment_id)
    attachment = restrict(
        attachments, client, "message__thread__contract", author_field="message__thread__created_by"
    ).first()
    if attachment is None:
        raise NotFound()
    return attachment


def get_attachment_for_staff(*, attachment_id: int) -> MessageAttachment:
    # Only files in a message: an upload not yet sent is its uploader's alone.
    attachment = MessageAttachment.objects.filter(pk=attachment_id, message__isnull=False).first()
    if attachment is None:
        raise NotFound()
    return attachment


def list_unused_attachments(
    *, user: User, client: Client, attachment_ids: list[int]
) -> list[MessageAttachment]:
    """The user's uploads for the client among the ids that no message uses yet."""
    if not attachment_ids:
        return []
    return list(
        MessageAttachment.objects.filter(
            pk__in=attachment_ids, client=client, uploaded_by=user, message__isnull=True
        )
    )
