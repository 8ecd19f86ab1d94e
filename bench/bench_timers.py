"""Bench 4: the timer sweep over 100,000 waiting instances of which 1 % are due.

Two real requests are driven through the API to the client-reply wait (reminder P14D, cancel P30D on
the reply task): one now (not due for 14 days) and one 15 days in the past (its reminder is due).
Their instance and request rows are cloned with bulk inserts: 99 % not due, then 0.1 % and 1 % due.
The sweep (`backend.requests_app.timers.sweep_due_timers`, run by beat every minute) must cost what the due
ones cost: an empty sweep over all rows is one indexed query; each due instance adds one step
(deserialize, fire the reminder, save, history row, outbox event), fired in batches of
`timers.BATCH_SIZE` that lock their rows with one query per table and commit once.
`--quick`: 10,000 instances.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

from bench.common import Skip, database_urls, in_child_process, percentiles

BATCH = 1000


def waiting_request(portal, *, travel_to=None) -> int:
    """Drive one request to the client-reply wait (optionally at a past moment); return its id."""
    import time_machine

    def drive() -> int:
        body = portal.customer.next_body()
        request_id = portal._post(portal.client_api, "/api/requests/", body, 201)["id"]
        portal._post(
            portal.staff_api, f"/api/staff/requests/{request_id}/ask-client/", {"question": "Prosimy o skan."}
        )
        return request_id

    if travel_to is None:
        return drive()
    with time_machine.travel(travel_to, tick=True):
        return drive()


def clone(template_request_id: int, count: int, *, start: int, own_request_ids: bool) -> list[int]:
    """Insert `count` copies of the request and its waiting instance; return the new instance ids."""
    from django.db import transaction

    from backend.requests_app.models import PortalRequest
    from workflows.models import ProcessInstance

    template = PortalRequest.objects.select_related("process_instance").get(pk=template_request_id)
    instance = template.process_instance
    instance_fields = {
        field.attname: getattr(instance, field.attname)
        for field in ProcessInstance._meta.concrete_fields
        if field.attname not in {"id", "created_at", "updated_at"}
    }
    instance_fields["status"] = ProcessInstance.Status.RUNNING  # the template itself is parked
    request_fields = {
        field.attname: getattr(template, field.attname)
        for field in PortalRequest._meta.concrete_fields
        if field.attname not in {"id", "number", "process_instance_id", "created_at", "updated_at"}
    }
    state_text = json.dumps(instance.state)
    marker = re.compile(rf'"request_id": {template_request_id}(?!\d)')
    created: list[int] = []
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        with transaction.atomic():
            instances = ProcessInstance.objects.bulk_create(
                [ProcessInstance(**instance_fields) for _ in range(size)]
            )
            requests = PortalRequest.objects.bulk_create(
                [
                    PortalRequest(
                        **request_fields, number=f"BENCH/{start + offset + index}", process_instance=row
                    )
                    for index, row in enumerate(instances)
                ]
            )
            if own_request_ids and marker.search(state_text):
                # The due ones get their own request id in the engine data, so each reminder lands on
                # its own request (history row, outbox event) as in production.
                for row, portal_request in zip(instances, requests, strict=True):
                    ProcessInstance.objects.filter(pk=row.pk).update(
                        state=json.loads(marker.sub(f'"request_id": {portal_request.pk}', state_text))
                    )
        created += [row.pk for row in instances]
    return created


def sweep_all(limit: int) -> tuple[float, int, float]:
    """Sweep once; return the wall milliseconds, how many fired, and this process's CPU milliseconds
    (a figure other load on the machine disturbs less; PostgreSQL's own CPU is not in it)."""
    from backend.requests_app.timers import sweep_due_timers

    started, cpu_started = time.perf_counter(), time.process_time()
    fired = sweep_due_timers(limit=limit)
    return (time.perf_counter() - started) * 1000, fired, (time.process_time() - cpu_started) * 1000


def measure(url: str | None, total: int) -> dict:
    from bench.common import private_database, setup_django

    with private_database(url) as env:
        setup_django(env)
        from django.utils import timezone

        from bench.scenario import InProcessPortal
        from workflows.models import ProcessInstance

        portal = InProcessPortal.create()
        not_due_id = waiting_request(portal)
        not_due = ProcessInstance.objects.get(portal_request__id=not_due_id)
        if not_due.next_timer_due is None:
            raise Skip("the instance waiting for the client has no next_timer_due")
        # A second contract for the request in the past: one open request per contract at a time.
        due_portal = InProcessPortal.create()
        due_id = waiting_request(due_portal, travel_to=timezone.now() - timedelta(days=15))
        due = ProcessInstance.objects.get(portal_request__id=due_id)
        if due.next_timer_due is None or due.next_timer_due > timezone.now():
            raise Skip(f"the request moved back in time is not due ({due.next_timer_due})")
        # Keep the two templates out of the sweep: they are copied, not swept.
        ProcessInstance.objects.filter(pk__in=[not_due.pk, due.pk]).update(status="completed")

        result: dict = {"instances": total, "state_bytes": len(json.dumps(not_due.state))}
        started = time.perf_counter()
        clone(not_due_id, total - total // 100, start=0, own_request_ids=False)
        result["insert_seconds"] = round(time.perf_counter() - started, 1)
        # The sweep runs in a Celery worker, whose start-up objects are frozen (backend/config/celery.py):
        # what this process holds now stays out of the collector's way too, as there.
        from backend.core.gc_tuning import freeze_startup_objects

        freeze_startup_objects()
        empty = [sweep_all(total)[0] for _ in range(5)]
        result["empty_sweep"] = percentiles(empty)

        for label, count in (("due_0_1_percent", total // 1000), ("due_1_percent", total // 100)):
            clone(
                due_id, count, start=total + (0 if label.startswith("due_0") else total), own_request_ids=True
            )
            elapsed_ms, fired, cpu_ms = sweep_all(total)
            result[label] = {
                "due": count,
                "fired": fired,
                "failed": count - fired,
                "sweep_ms": round(elapsed_ms, 1),
                "ms_per_due_instance": round(elapsed_ms / max(fired, 1), 2),
                "cpu_ms_per_due_instance": round(cpu_ms / max(fired, 1), 2),
                "beat_runs_at_limit_500": -(-count // 500),
            }
            print(f"{label}: {fired}/{count} fired in {elapsed_ms:.0f} ms", flush=True)
        result["waiting_after"] = ProcessInstance.objects.filter(status="running").count()
        portal.close()
        return result


def run(*, quick: bool) -> dict:
    total = 10_000 if quick else 100_000
    result: dict = {}
    for backend, url in database_urls():
        figures = in_child_process("bench.bench_timers:measure", url, total)
        result[backend] = figures
    return result
