"""Bench 7: the Celery worker's CPU per workflow step, in-process (issue #18).

On 2 cores the worker shares the CPU with the web server, so each millisecond it spends per step is one
the steps cannot use (bench_http's `worker_cpu_ms_per_request`, whose figure moves with the load of the
run). Here the same work is timed alone: payment-day lifecycles (submit → ask → reply → approve) are
driven through the API in this process (bench/scenario.py) with the worker's tasks left queued, then
their outbox events are handled as the worker handles them — notices and e-mails in batches of
`EVENTS_PER_BATCH` events (`notifications.tasks.create_notifications_for_events`, whose e-mails go out
in the same task, here to Django's file backend as under `make run`) — and the pending decision documents
are rendered (`render_decision_documents`). Reported: process CPU per step (four steps a lifecycle) per
round with the minimum and median, SQL statements per step, and CPU per decision document. With
DATABASE_URL set PostgreSQL is measured too.
"""

from __future__ import annotations

import statistics
import time

from bench.common import database_urls, in_child_process

EVENTS_PER_BATCH = 8  # about what a batch holds at 4 clients (core/task_batches.py gathers 50 ms)
STEPS_PER_LIFECYCLE = 4


def measure(url: str | None, lifecycles: int, rounds: int) -> dict:
    from bench.common import private_database, setup_django

    with private_database(url) as env:
        setup_django(env)
        from django.conf import settings
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from backend.core.gc_tuning import freeze_startup_objects
        from backend.core.models import OutboxEvent
        from backend.requests_app import decision_document
        from backend.requests_app.models import RequestEvent
        from bench.scenario import InProcessPortal
        from notifications import tasks

        # The steps' commits queue their tasks at once, in this thread: no publisher thread's CPU is
        # counted in the worker's time (the queued messages are never consumed here).
        settings.TASK_BATCH_SECONDS = 0
        portal = InProcessPortal.create()

        def drive(count: int) -> tuple[list[int], list[int]]:
            """Run `count` lifecycles; return their outbox event ids and pending document rows."""
            newest = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            for _ in range(count):
                portal.run_scenario()
            events = list(
                OutboxEvent.objects.filter(id__gt=newest).order_by("id").values_list("id", flat=True)
            )
            pending = {f"data__{decision_document.PENDING_KEY}": True}
            documents = list(
                RequestEvent.objects.filter(kind=RequestEvent.Kind.DOCUMENT, **pending)
                .order_by("id")
                .values_list("id", flat=True)
            )
            return events, documents

        def work(events: list[int], documents: list[int]) -> tuple[float, float]:
            """The worker's tasks for these rows; return CPU ms for the events and for the documents."""
            started = time.process_time()
            for first in range(0, len(events), EVENTS_PER_BATCH):
                tasks.create_notifications_for_events(events[first : first + EVENTS_PER_BATCH])
            notified = time.process_time()
            decision_document.render_decision_documents(documents)
            return (notified - started) * 1000, (time.process_time() - notified) * 1000

        work(*drive(3))  # warm: templates, prepared reads, the parsed DOCX template
        freeze_startup_objects()  # as the worker process does after start-up (backend/config/celery.py)
        per_step, per_document = [], []
        for _ in range(rounds):
            events, documents = drive(lifecycles)
            events_ms, documents_ms = work(events, documents)
            per_step.append((events_ms + documents_ms) / (lifecycles * STEPS_PER_LIFECYCLE))
            per_document.append(documents_ms / max(len(documents), 1))
        events, documents = drive(lifecycles)
        with CaptureQueriesContext(connection) as queries:
            work(events, documents)
        portal.close()
        return {
            "lifecycles_per_round": lifecycles,
            "events_per_lifecycle": round(len(events) / lifecycles, 1),
            "cpu_ms_per_step": {
                "rounds": [round(value, 2) for value in per_step],
                "min": round(min(per_step), 2),
                "median": round(statistics.median(per_step), 2),
            },
            "cpu_ms_per_decision_document": round(statistics.median(per_document), 2),
            "sql_statements_per_step": round(len(queries) / (lifecycles * STEPS_PER_LIFECYCLE), 1),
            "summary": (
                f"worker CPU per step: {min(per_step):.2f} ms (min of {rounds} rounds), "
                f"median {statistics.median(per_step):.2f} ms; "
                f"{len(queries) / (lifecycles * STEPS_PER_LIFECYCLE):.1f} SQL statements per step"
            ),
        }


def run(*, quick: bool) -> dict:
    lifecycles, rounds = (10, 3) if quick else (25, 5)
    return {
        backend: in_child_process("bench.bench_worker:measure", url, lifecycles, rounds)
        for backend, url in database_urls()
    }
