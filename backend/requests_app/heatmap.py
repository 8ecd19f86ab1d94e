"""Heatmap of a process version: per BPMN element, the requests there now and the median time spent there.

"There now" is a running instance whose stage (its ready user task or reached end event) is the element.
The time spent comes from the requests' history: each RequestEvent with a stage marks when the request
was in that stage; a stay ends at the first later event with another stage, so only finished stays count
(the stay in progress has no end yet). Read-only, three queries, and the history read is capped at the
newest HISTORY_EVENT_LIMIT events so a long-lived version cannot make the page slow. It reads the
requests' history, so it lives with the requests (the modeler asks /api/workflows/versions/<id>/heatmap/).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Count

from backend.requests_app.models import RequestEvent
from workflows.models import ProcessInstance, ProcessVersion

HISTORY_EVENT_LIMIT = 20_000


@dataclass(frozen=True)
class ElementHeat:
    element_id: str
    running: int
    median_seconds: int | None  # None: no finished stay in the history read
    finished_stays: int


def _running_by_element(version: ProcessVersion) -> dict[str, int]:
    rows = (
        ProcessInstance.objects.filter(process_version=version, status=ProcessInstance.Status.RUNNING)
        .exclude(stage="")
        .values("stage")
        .annotate(count=Count("id"))
    )
    return {row["stage"]: row["count"] for row in rows}


def _stays_by_element(version: ProcessVersion) -> dict[str, list[float]]:
    """Return the finished stays (seconds) per element, from the newest requests' stage history."""
    events = (
        RequestEvent.objects.filter(request__process_instance__process_version=version)
        .exclude(stage="")
        # Newest requests first (the cap keeps those); each request's events in time order.
        .order_by("-request_id", "created_at", "id")
        .values_list("request_id", "stage", "created_at")[:HISTORY_EVENT_LIMIT]
    )
    stays: dict[str, list[float]] = {}
    current_request, current_stage, entered = None, "", None
    for request_id, stage, created_at in events:
        if request_id != current_request:
            current_request, current_stage, entered = request_id, stage, created_at
            continue
        if stage == current_stage:
            continue  # another event in the same stage: the stay goes on
        stays.setdefault(current_stage, []).append((created_at - entered).total_seconds())
        current_stage, entered = stage, created_at
    return stays


def version_heatmap(*, version: ProcessVersion) -> list[ElementHeat]:
    """Return the heat of every element with a request there now or a finished stay, by element id."""
    running = _running_by_element(version)
    stays = _stays_by_element(version)
    return [
        ElementHeat(
            element_id=element_id,
            running=running.get(element_id, 0),
            median_seconds=round(statistics.median(stays[element_id])) if element_id in stays else None,
            finished_stays=len(stays.get(element_id, [])),
        )
        for element_id in sorted(running.keys() | stays.keys())
    ]
