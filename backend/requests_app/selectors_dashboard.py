"""Figures of the back-office dashboards: reads only, a fixed number of queries whatever the data size.

Staff see their work (tasks, due dates, who holds the ball, unanswered messages); analysts the flows'
statistics; admins the health of operations. Every count here uses the same conditions as the list it
links to (the staff task list, the message inbox), so a number and its list never disagree.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from backend.accounts.models import User
from backend.messaging.models import MessageThread
from backend.messaging.selectors import count_inbox_queues
from backend.requests_app.catalogue import stage_choices
from backend.requests_app.complaints import near_deadline_filter
from backend.requests_app.models import OPEN_STATUSES, PortalRequest, RequestEvent, RequestKind
from backend.requests_app.selectors import DECIDED_STATUSES, decision_durations
from backend.requests_app.selectors_task_list import latest_event_at, overdue_condition, task_scope
from workflows.contract import user_task_ids

WEEKS_SHOWN = 8
MEDIAN_WINDOW_DAYS = 90
LONGEST_WAITING_SHOWN = 5


@dataclass(frozen=True)
class WaitingRequest:
    id: int
    number: str
    kind_label: str
    client_name: str
    since: datetime | None


@dataclass(frozen=True)
class Ball:
    """One side of "who holds the ball": how many requests wait for it, the longest waiting first."""

    count: int
    longest: list[WaitingRequest]

    @property
    def oldest_since(self) -> datetime | None:
        return self.longest[0].since if self.longest else None


@dataclass(frozen=True)
class StaffWork:
    today: date
    tasks_total: int
    my_tasks: int
    unassigned_tasks: int
    due_by_today: int  # due date today or earlier (overdue included), as the task list's "Due by" filter
    # past the due time (selectors_task_list.overdue_condition), as the task list's `overdue` filter
    overdue: int
    unanswered_messages: int
    awaiting_final_answer: int
    my_threads: int
    unassigned_threads: int
    waiting_for_staff: Ball
    waiting_for_client: Ball
    # Open complaints with at most 5 days to their statutory deadline (the task list's near_deadline filter).
    complaints_near_deadline: int = 0


@dataclass(frozen=True)
class Series:
    """A chart's numbers: labels along one axis and one list of values per dataset (also the table)."""

    labels: list[str]
    datasets: list[dict] = field(default_factory=list)  # {"key", "label", "values"}

    def rows(self) -> list[tuple[str, list]]:
        return [(label, [d["values"][i] for d in self.datasets]) for i, label in enumerate(self.labels)]

    def as_json(self) -> dict:
        return {"labels": self.labels, "datasets": self.datasets}


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day, time.max))
    return start, end


def _longest_waiting(queryset: QuerySet[PortalRequest], since: Subquery) -> list[WaitingRequest]:
    rows = (
        queryset.annotate(since=since)
        .order_by("since", "id")
        .values("id", "number", "kind", "client__name", "since")[:LONGEST_WAITING_SHOWN]
    )
    labels = dict(RequestKind.choices)
    return [
        WaitingRequest(
            id=row["id"],
            number=row["number"],
            kind_label=str(labels.get(row["kind"], row["kind"])),
            client_name=row["client__name"],
            since=row["since"],
        )
        for row in rows
    ]


def staff_work(*, user: User) -> StaffWork:
    """The staff member's own work and the team's queue: 5 queries."""
    now = timezone.now()
    today = timezone.localdate(now)
    _start_of_today, end_of_today = _day_bounds(today)
    tasks = task_scope().aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=Q(assignee=user)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        due_by_today=Count("pk", filter=Q(staff_due_at__lte=end_of_today)),
        overdue=Count("pk", filter=overdue_condition(now)),
    )
    waiting_client = task_scope("client")
    # The ball is with staff since the client's last move (the submission or a reply), with the client
    # since staff's last question.
    staff_side = _longest_waiting(
        task_scope(), latest_event_at([RequestEvent.Kind.SUBMITTED, RequestEvent.Kind.REPLY])
    )
    client_side = _longest_waiting(waiting_client, latest_event_at([RequestEvent.Kind.QUESTION]))
    inbox = count_inbox_queues(user=user)
    return StaffWork(
        today=today,
        tasks_total=tasks["total"],
        my_tasks=tasks["mine"],
        unassigned_tasks=tasks["unassigned"],
        due_by_today=tasks["due_by_today"],
        overdue=tasks["overdue"],
        unanswered_messages=inbox["unanswered"],
        awaiting_final_answer=inbox["awaiting_final"],
        my_threads=inbox["mine"],
        unassigned_threads=inbox["unassigned"],
        waiting_for_staff=Ball(count=tasks["total"], longest=staff_side),
        waiting_for_client=Ball(count=waiting_client.count(), longest=client_side),
        complaints_near_deadline=PortalRequest.objects.filter(**near_deadline_filter()).count(),
    )


@dataclass(frozen=True)
class KindStageCount:
    kind: str
    kind_label: str
    cells: list[int]  # one per stage of `stages`, in order
    total: int


@dataclass(frozen=True)
class KindStageTable:
    stages: list[tuple[str, str]]  # (code, label)
    rows: list[KindStageCount]
    stage_totals: list[int]
    total: int

    def table_rows(self) -> list[tuple[KindStageCount, list[tuple[str, str, int]]]]:
        """Each request type with its (stage code, stage label, count) cells: links filter by both, and a
        phone shows each cell under its label."""
        return [
            (row, [(code, label, n) for (code, label), n in zip(self.stages, row.cells, strict=True)])
            for row in self.rows
        ]

    def total_cells(self) -> list[tuple[str, int]]:
        """The totals row as (stage label, count)."""
        return [(label, n) for (_code, label), n in zip(self.stages, self.stage_totals, strict=True)]


def open_requests_by_kind_and_stage() -> KindStageTable:
    """Open requests counted per request type and stage: 1 query (2 more for the current versions' labels)."""
    counts = (
        PortalRequest.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("kind", "stage")
        .annotate(n=Count("pk"))
    )
    by_cell: dict[tuple[str, str], int] = {}
    for row in counts:
        by_cell[(row["kind"], row["stage"] or "")] = row["n"]
    # Submitted first, then the contracts' user tasks in declaration order, then any other stage.
    present = {stage for _kind, stage in by_cell}
    known = [code for code in ["", *user_task_ids()] if code in present]
    extra = sorted(present - set(known))
    # Labelled by the current versions' element names (workflows/stage_labels.py): two queries.
    stages = stage_choices(known + extra)
    rows = []
    for kind, label in RequestKind.choices:
        cells = [by_cell.get((kind, code), 0) for code, _label in stages]
        rows.append(KindStageCount(kind=kind, kind_label=str(label), cells=cells, total=sum(cells)))
    stage_totals = [sum(row.cells[i] for row in rows) for i in range(len(stages))]
    return KindStageTable(stages=stages, rows=rows, stage_totals=stage_totals, total=sum(stage_totals))


def workload_per_stage(table: KindStageTable) -> Series:
    """Open requests per stage, from the kind × stage counts (no query of its own)."""
    return Series(
        labels=[label for _code, label in table.stages],
        datasets=[{"key": "open", "label": "", "values": table.stage_totals}],
    )


def _person(user_row: dict) -> str:
    name = f"{user_row['first_name']} {user_row['last_name']}".strip()
    return name or user_row["email"]


def workload_per_person() -> Series:
    """Open requests and open message threads per assignee: 2 queries."""
    requests = (
        PortalRequest.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=False)
        .order_by()
        .values("assignee_id", "assignee__first_name", "assignee__last_name", "assignee__email")
        .annotate(n=Count("pk"))
    )
    threads = (
        MessageThread.objects.exclude(status=MessageThread.Status.CLOSED)
        .filter(assignee__isnull=False)
        .order_by()
        .values("assignee_id", "assignee__first_name", "assignee__last_name", "assignee__email")
        .annotate(n=Count("pk"))
    )
    names: dict[int, str] = {}
    per: dict[str, dict[int, int]] = {"requests": defaultdict(int), "threads": defaultdict(int)}
    for key, rows in (("requests", requests), ("threads", threads)):
        for row in rows:
            names[row["assignee_id"]] = _person({k.removeprefix("assignee__"): v for k, v in row.items()})
            per[key][row["assignee_id"]] += row["n"]
    people = sorted(names, key=lambda pk: (-(per["requests"][pk] + per["threads"][pk]), names[pk]))
    return Series(
        labels=[names[pk] for pk in people],
        datasets=[
            {"key": "requests", "label": "", "values": [per["requests"][pk] for pk in people]},
            {"key": "threads", "label": "", "values": [per["threads"][pk] for pk in people]},
        ],
    )


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def opened_vs_decided_per_week(*, weeks: int = WEEKS_SHOWN) -> tuple[list[date], list[int], list[int]]:
    """Requests opened and decided in each of the last `weeks` weeks (Monday first, local time): 2 queries."""
    first_monday = _week_start(timezone.localdate()) - timedelta(weeks=weeks - 1)
    start = timezone.make_aware(datetime.combine(first_monday, time.min))
    mondays = [first_monday + timedelta(weeks=i) for i in range(weeks)]

    def per_week(queryset: QuerySet, field_name: str) -> list[int]:
        days = (
            queryset.filter(**{f"{field_name}__gte": start})
            .order_by()
            .annotate(day=TruncDate(field_name))
            .values("day")
            .annotate(n=Count("pk"))
        )
        counts = dict.fromkeys(mondays, 0)
        for row in days:
            monday = _week_start(row["day"])
            if monday in counts:
                counts[monday] += row["n"]
        return [counts[monday] for monday in mondays]

    opened = per_week(PortalRequest.objects.all(), "created_at")
    decided = per_week(PortalRequest.objects.filter(status__in=DECIDED_STATUSES), "decided_at")
    return mondays, opened, decided


def median_days_to_decision(
    *, window_days: int = MEDIAN_WINDOW_DAYS
) -> list[tuple[str, str, float | None, int]]:
    """Per request type: (kind, label, median days from submission to decision, decided count): 1 query.

    Only decisions of the last `window_days` days count, so the read stays bounded and the figure current.
    """
    durations = decision_durations(since=timezone.now() - timedelta(days=window_days))
    result = []
    for kind, label in RequestKind.choices:
        values = [duration.total_seconds() / 86400 for duration in durations.get(kind, [])]
        median = round(statistics.median(values), 1) if values else None
        result.append((kind, str(label), median, len(values)))
    return result
