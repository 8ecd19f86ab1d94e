"""Reads of requests, scoped to the active client or to staff."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.access_rules import contract_ids_of, restrict
from backend.clients.models import Client
from backend.contracts.models import Contract, ScheduleRow
from backend.contracts.selectors import capital_remaining_expression
from backend.core.exceptions import NotFound
from backend.core.prepared_reads import PreparedRead
from backend.invoices.models import Invoice, InvoiceStatus
from backend.invoices.selectors import status_condition
from backend.requests_app.models import (
    OPEN_STATUSES,
    PortalRequest,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
)


def with_related(queryset: QuerySet[PortalRequest]) -> QuerySet[PortalRequest]:
    """The rows with what a list or a detail of requests shows of them, in the same query (the task
    lists too: selectors_task_list.py)."""
    return queryset.select_related("contract", "client", "assignee", "process_instance", "decision_document")


def _visible(client: Client, **filters) -> QuerySet[PortalRequest]:
    """The client's requests on the contracts the acting user may see (and those of no contract the
    acting user may: access_rules.object_visible)."""
    return restrict(
        PortalRequest.objects.filter(client=client, **filters), client, author_field="submitted_by"
    )


def list_requests_for_client(*, client: Client, filters: dict | None = None) -> QuerySet[PortalRequest]:
    queryset = with_related(_visible(client))
    filters = filters or {}
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("type"):
        queryset = queryset.filter(type=filters["type"])
    if filters.get("contract"):
        queryset = queryset.filter(contract_id=filters["contract"])
    return queryset


# Kinds of history row the client never reads, not even their title: the client's copy of the history is read
# without them (its page, API, live refresh). Repairs by an administrator (workflows/repair.py) carry
# internal notes, complaint escalations are the supervisors' business, and staff's internal notes
# (internal_notes.py) are written for colleagues alone.
BACK_OFFICE_KINDS = (
    RequestEvent.Kind.REPAIRED,
    RequestEvent.Kind.ESCALATED,
    RequestEvent.Kind.DEADLINE_PASSED,
    RequestEvent.Kind.INTERNAL_NOTE,
)


def _detail_queryset(
    queryset: QuerySet[PortalRequest], *, for_client: bool = False
) -> QuerySet[PortalRequest]:
    # The engine state is not shown: the row's stage, waiting-for and current task columns say it all.
    events = RequestEvent.objects.select_related("actor").prefetch_related("attachments")
    if for_client:
        events = events.exclude(kind__in=BACK_OFFICE_KINDS)
    return (
        with_related(queryset)
        .defer("process_instance__state")
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("attachments", queryset=RequestAttachment.objects.all()),
        )
    )


def get_request_for_client(*, client: Client, request_id: int) -> PortalRequest:
    """Return the client's request; another client's id is simply not found."""
    portal_request = _detail_queryset(_visible(client, pk=request_id), for_client=True).first()
    if portal_request is None:
        raise NotFound()
    _client_copy_of_history(portal_request.events.all())
    return portal_request


# Kinds of history row whose text and data are the back office's detail (the client's page and API show the
# row's title alone): a late timer sweep's reminder names the reminders it stands for
# (effects.late_reminder_texts), while the client was simply reminded once ("Reminder sent").
STAFF_DETAIL_KINDS = {RequestEvent.Kind.REMINDER}


def _client_copy_of_history(events: list[RequestEvent]) -> None:
    """Prepare the client's copy of the history (prefetched rows, read only here): blank the staff's detail,
    and show a stage change the process made after someone's step (a submit, a reply) as the process's, not
    as that person's act. The stored row keeps who ran the step (actor, author) for the audit, the notices
    and the staff page; a withdrawal stays the client's own act."""
    for event in events:
        if event.kind in STAFF_DETAIL_KINDS:
            event.message, event.data = "", {}
        if event.kind == RequestEvent.Kind.STAGE_CHANGED and event.status_to != RequestStatus.CANCELLED:
            event.author, event.actor = RequestEvent.Author.SYSTEM, None


def get_request_for_staff(*, request_id: int) -> PortalRequest:
    portal_request = _detail_queryset(PortalRequest.objects.filter(pk=request_id)).first()
    if portal_request is None:
        raise NotFound()
    return portal_request


def request_ref(*, request_id: int, client: Client | None = None) -> PortalRequest:
    """Name a request for a write without reading it: the write locks the row, scoped to `client`.

    The service's locked read is the permission check (another client's id is not found there), so a
    step reads the row once. A user limited to some contracts costs one read more: outside them, not found.
    """
    if contract_ids_of(client) is not None and not _visible(client, pk=request_id).exists():
        raise NotFound()
    return PortalRequest(pk=request_id, client_id=client.pk if client is not None else None)


def get_contract_for_client(*, client: Client, contract_id: int) -> Contract:
    contract = restrict(Contract.objects.filter(client=client, pk=contract_id), client, "pk").first()
    if contract is None:
        raise NotFound()
    return contract


# The overdue invoices a contract card lists at most (the count says how many there are).
CARD_OVERDUE_INVOICES = 10


@dataclass(frozen=True)
class ContractCard:
    """What staff deciding a request see of its contract: its figures (`capital_remaining` as the
    client's contract page computes it), the next unpaid installment due today or later and the client's
    overdue invoices (what the permit's rule counts), oldest due first, each with its `outstanding`
    amount."""

    contract: Contract
    next_installment: ScheduleRow | None
    overdue_invoices: list[Invoice]
    overdue_count: int


def contract_card(portal_request: PortalRequest, *, today: date | None = None) -> ContractCard | None:
    """The card of the request's own contract (None without one): staff read no other contract here."""
    if portal_request.contract_id is None:
        return None
    today = today or timezone.localdate()
    contract = Contract.objects.annotate(capital_remaining=capital_remaining_expression()).get(
        pk=portal_request.contract_id
    )
    # As the client's home page reads it (invoices.selectors.get_home_summary): the next unpaid installment
    # due today or later; overdue ones are the card's overdue invoices.
    next_installment = (
        ScheduleRow.objects.filter(contract_id=contract.pk, paid=False, due_date__gte=today)
        .order_by("number")
        .first()
    )
    overdue = Invoice.objects.filter(
        status_condition(InvoiceStatus.OVERDUE, today=today), client_id=portal_request.client_id
    ).select_related("contract")
    shown = list(
        overdue.annotate(outstanding=F("gross_total") - F("paid_amount")).order_by("due_date", "id")[
            :CARD_OVERDUE_INVOICES
        ]
    )
    count = len(shown) if len(shown) < CARD_OVERDUE_INVOICES else overdue.count()
    return ContractCard(contract, next_installment, shown, count)


# Read twice at every submit changing a contract: compiled once per connection (core/prepared_reads.py).
_OPEN_REQUEST_OF_KIND = PreparedRead(
    lambda contract_id, kind: PortalRequest.objects.filter(
        contract_id=contract_id, kind=kind, status__in=OPEN_STATUSES
    ).order_by("pk")[:1],
    ints=("contract_id",),
    strs=("kind",),
)


def open_request_of_kind(*, contract_id: int, kind: str) -> PortalRequest | None:
    """The contract's open request of this kind (the oldest, should there be several), or None."""
    return _OPEN_REQUEST_OF_KIND.first(contract_id=contract_id, kind=kind)


def open_requests_of_kind_on(*, contract_ids: list[int], kind: str) -> dict[int, PortalRequest]:
    """Per contract, its open request of this kind (the oldest), in one query: the form of a kind a
    contract takes one open request of names those before the client fills it in (the submit checks
    again, open_request_of_kind under the contract's lock)."""
    found: dict[int, PortalRequest] = {}
    rows = PortalRequest.objects.filter(contract_id__in=contract_ids, kind=kind, status__in=OPEN_STATUSES)
    for row in rows.order_by("-pk").only("pk", "number", "contract_id", "status", "kind"):
        found[row.contract_id] = row  # newest first: the oldest is kept
    return found


def other_open_requests(portal_request: PortalRequest) -> list[PortalRequest]:
    """The other open requests on the request's contract, oldest first: staff deciding one see what else
    is pending on the contract (a buyout quoted on the schedule a change would replace)."""
    if portal_request.contract_id is None:
        return []
    return list(
        PortalRequest.objects.filter(contract_id=portal_request.contract_id, status__in=OPEN_STATUSES)
        .exclude(pk=portal_request.pk)
        .order_by("pk")
    )


# Requests not decided yet, whoever holds the ball (the staff dashboard counts them per type and stage).
DECIDED_STATUSES = (RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.COMPLETED)


def decision_durations(
    *, since: datetime, until: datetime | None = None, per_kind_limit: int | None = None
) -> dict[str, list[timedelta]]:
    """Per request kind: the time from submission to decision of the requests decided since `since`
    (and up to `until`), newest decisions first, at most `per_kind_limit` of each kind: 1 query.

    The one read behind both "median time to decision" figures: the staff dashboard's and the expected
    time a client sees before submitting (terms.py).
    """
    rows = PortalRequest.objects.filter(
        status__in=DECIDED_STATUSES, decided_at__gte=since, decided_at__isnull=False
    )
    if until is not None:
        rows = rows.filter(decided_at__lte=until)
    durations: dict[str, list[timedelta]] = defaultdict(list)
    for kind, created_at, decided_at in (
        rows.order_by("-decided_at").values_list("kind", "created_at", "decided_at").iterator(chunk_size=2000)
    ):
        if per_kind_limit is None or len(durations[kind]) < per_kind_limit:
            durations[kind].append(decided_at - created_at)
    return durations


def get_attachment_for_user(*, user: User, client: Client | None, attachment_id: int) -> RequestAttachment:
    """Staff see every attachment of a request; a client user only those of the client they act for.

    An upload no request uses yet is its uploader's alone (as a message's), whoever else may see the
    request it will be bound to.
    """
    queryset = RequestAttachment.objects.filter(
        Q(request__isnull=False) | Q(uploaded_by=user), pk=attachment_id
    )
    if not user.is_back_office:
        if client is None:
            raise NotFound()
        queryset = restrict(
            queryset.filter(client=client), client, "request__contract", author_field="request__submitted_by"
        )
    attachment = queryset.first()
    if attachment is None:
        raise NotFound()
    return attachment


def list_unused_attachments(
    *, user: User, client: Client, attachment_ids: list[int]
) -> list[RequestAttachment]:
    """The user's uploads for the client among the ids that no request or message uses yet."""
    if not attachment_ids:
        return []
    return list(
        RequestAttachment.objects.filter(
            pk__in=attachment_ids, client=client, uploaded_by=user, request__isnull=True
        )
    )
