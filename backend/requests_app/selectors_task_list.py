"""Reads of the staff task lists: their scopes, filters and search, the one meaning of "overdue", and the
counts on the lists' tiles. The dashboard (selectors_dashboard.py) and the overdue e-mail (overdue.py)
count with the same conditions, so a number and its list never disagree."""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.selectors import client_search
from backend.core.text_search import contains_text, name_key_words
from backend.requests_app.complaints import near_deadline_filter
from backend.requests_app.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    PortalRequest,
    RequestEvent,
    RequestStatus,
)
from backend.requests_app.selectors import with_related


def latest_event_at(kinds: list[str]) -> Subquery:
    """The time of the request's latest history row of these kinds (for annotations)."""
    events = RequestEvent.objects.filter(request=OuterRef("pk"), kind__in=kinds).order_by(
        "-created_at", "-id"
    )
    return Subquery(events.values("created_at")[:1], output_field=DateTimeField())


# The rows of each staff task list, by scope: waiting for staff (the default), for the client, every open one,
# every closed one. One definition for the list, the counts on its tiles and the staff dashboard.
TASK_SCOPES: dict[str, Q] = {
    "": Q(status=RequestStatus.IN_REVIEW, process_instance__waiting_for="staff"),
    "client": Q(status=RequestStatus.WAITING_FOR_CLIENT),
    "open": Q(status__in=OPEN_STATUSES),
    "closed": Q(status__in=CLOSED_STATUSES),
}


def task_scope(scope: str = "") -> QuerySet[PortalRequest]:
    """The requests of one staff task list, unordered and without the list's filters."""
    return PortalRequest.objects.filter(TASK_SCOPES[scope]).order_by()


def overdue_condition(now: datetime) -> Q:
    """Past its staff due time: the one meaning of "overdue" for the dashboard's count, the task list's
    flag and its `overdue` filter, and the overdue e-mail (overdue.py). The due time is a moment (17:00
    Polish time of a working day), so a request is overdue from 17:00 of its due day, not from the next
    day; only a request waiting for staff has one (lifecycle clears it otherwise)."""
    return Q(staff_due_at__lt=now)


def list_overdue_tasks(*, now: datetime) -> QuerySet[PortalRequest]:
    """The requests waiting for staff past their due time, unordered."""
    return task_scope().filter(overdue_condition(now))


def count_task_scopes() -> dict[str, int]:
    """How many requests each staff task list holds, in one query."""
    counts = PortalRequest.objects.aggregate(
        **{f"scope_{scope or 'staff'}": Count("pk", filter=rows) for scope, rows in TASK_SCOPES.items()}
    )
    return {scope: counts[f"scope_{scope or 'staff'}"] for scope in TASK_SCOPES}


def task_search(text: str) -> Q:
    """Requests whose number, subject, client's NIP, contract number or contact person contains the text,
    ignoring case and, typed without them, Polish letters; or whose client's name or submitting user's
    name ("Katarzyna Demo") holds every word of it, Polish letters optional both ways (their folded keys:
    core.text_search.name_key_words; the client's part: clients.selectors). A caller names the person,
    not the company."""
    text = text.strip()
    return (
        Q(number__icontains=text)
        | contains_text(KT("form_data__subject"), text)
        | client_search(text)
        | Q(contract__number__icontains=text)
        | name_key_words(text, "submitted_by__name_key")
        | contains_text("contact_name", text)
    )


def list_staff_tasks(*, staff: User, filters: dict | None = None) -> QuerySet[PortalRequest]:
    """Return the requests whose BPMN instance waits for staff, oldest due first.

    `filters["scope"]` widens it: "open" to every open request (waiting for staff or the client),
    "client" to the requests waiting for the client's reply, "closed" to the decided, completed and
    cancelled ones, newest first by `closed_at` (the decision, or the last change of a cancelled one). Each row carries `is_overdue`
    (overdue_condition); `filters["overdue"]` keeps those rows only.
    """
    filters = filters or {}
    now = timezone.now()
    scope = filters.get("scope") if filters.get("scope") in TASK_SCOPES else ""
    # The row's red due time and the `overdue` filter read the same condition at the same moment.
    base = task_scope(scope).annotate(
        is_overdue=ExpressionWrapper(overdue_condition(now), output_field=BooleanField())
    )
    if scope == "client":
        # With the client since staff's last question: the list shows (and sorts by) how long.
        base = base.annotate(waiting_since=latest_event_at([RequestEvent.Kind.QUESTION]))
    elif scope == "closed":
        # A cancel is no decision (decided_at stays empty): its time is the request's last change.
        base = base.annotate(closed_at=Coalesce("decided_at", "updated_at"))
    queryset = with_related(base)
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("type"):
        queryset = queryset.filter(type=filters["type"])
    if filters.get("stage"):
        queryset = queryset.filter(stage=filters["stage"])
    if filters.get("contract"):
        queryset = queryset.filter(contract__number__icontains=filters["contract"])
    if (filters.get("q") or "").strip():
        queryset = queryset.filter(task_search(filters["q"]))
    if filters.get("client"):
        queryset = queryset.filter(client_id=filters["client"])
    if filters.get("due_before"):
        queryset = queryset.filter(staff_due_at__lte=filters["due_before"])
    if filters.get("overdue"):
        queryset = queryset.filter(overdue_condition(now))
    if filters.get("near_deadline"):
        # Complaints with at most 5 days to their statutory deadline (backend/requests_app/complaints.py).
        queryset = queryset.filter(**near_deadline_filter())
    assignee = filters.get("assignee")
    if assignee == "me":
        queryset = queryset.filter(assignee=staff)
    elif assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif assignee:
        queryset = queryset.filter(assignee_id=assignee)
    if scope == "closed":
        return queryset.order_by("-closed_at", "-id")
    return queryset.order_by("staff_due_at", "id")
