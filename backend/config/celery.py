"""The Celery application. Periodic tasks are declared here, once, for the single beat process."""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")

logger = logging.getLogger(__name__)

app = Celery("portal_klienta")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fix-up closes the database connection before and after every task unless told to reuse
# it, and in prefork workers with Django's PostgreSQL pool it closes the whole pool each time
# (celery/celery#10554): every task opened a new connection (on PostgreSQL a server process forked per
# task: 508 connections in one short HTTP bench, 12 once reused). Reused here, the fix-up still starts
# afresh every 1,000 tasks, and `_release_database_connections` hands each task's connection back after it.
app.conf.CELERY_DB_REUSE_MAX = 1000
app.autodiscover_tasks(
    [
        "backend.core",
        "workflows",
        "notifications",
        "backend.requests_app",
        "backend.invoices",
        "backend.accounts",
        "backend.clients",
        "backend.contracts",
        "backend.messaging",
        "backend.documents",
    ]
)
app.conf.beat_schedule = {
    # A worker writes when it last ran this: /readyz and the admin dashboard tell a stopped worker (or beat).
    "core-worker-heartbeat": {"task": "core.worker_heartbeat", "schedule": 60.0},
    # Fire due BPMN timers (reminders, reply deadlines); touches only instances whose timer is due.
    "requests-sweep-due-timers": {"task": "requests_app.sweep_due_timers", "schedule": 60.0},
    # Requests with staff past their working-day due time: their assignee (or the team) is mailed once each.
    "requests-escalate-overdue": {"task": "requests_app.escalate_overdue_requests", "schedule": 300.0},
    # Re-send outbox events and e-mails a crash after commit left undelivered (idempotent).
    "notifications-relay-outbox": {"task": "notifications.tasks.relay_outbox", "schedule": 60.0},
    # Render decision documents whose after-commit task was lost (idempotent: each renders once).
    "requests-redrive-decision-documents": {
        "task": "backend.requests_app.tasks.redrive_decision_documents",
        "schedule": 60.0,
    },
    # Accounting ZIPs: a lost build queued again, a dead worker's build failed, files gone after 24 hours.
    "invoices-tend-accounting-exports": {"task": "invoices.tend_accounting_exports", "schedule": 60.0},
    # Free buyout quotes past their validity are marked expired (a quote a request holds stays for staff).
    "contracts-expire-buyout-quotes": {
        "task": "contracts.expire_buyout_quotes",
        "schedule": crontab(hour=0, minute=5),
    },
    # A contract whose agreed buyout took effect yesterday ends (it stays active to the effective date).
    "contracts-end-bought-out-contracts": {
        "task": "contracts.end_bought_out_contracts",
        "schedule": crontab(hour=0, minute=10),
    },
    # Uploads of forms never sent (a closed tab): rows and files go after UNUSED_UPLOADS_MAX_AGE_HOURS.
    "requests-delete-unused-attachments": {
        "task": "requests_app.delete_unused_attachments",
        "schedule": crontab(hour=3, minute=30),
    },
    "messaging-delete-unused-attachments": {
        "task": "messaging.delete_unused_attachments",
        "schedule": crontab(hour=3, minute=40),
    },
    # Rendered PDFs (backend/documents/pdf_store.py) not read for a month, and the oldest over the size cap.
    "documents-prune-pdf-store": {
        "task": "documents.prune_pdf_store",
        "schedule": crontab(hour=3, minute=50),
    },
    # Files a rolled-back transaction (or a killed process) left with no row, a day after they were written.
    "documents-delete-orphan-files": {
        "task": "documents.delete_orphan_files",
        "schedule": crontab(hour=4, minute=0),
    },
    # Staff who chose the daily digest get their open tasks and unanswered messages (once per day).
    "notifications-staff-digests": {
        "task": "notifications.tasks.send_staff_digests",
        "schedule": crontab(hour=7, minute=0),
    },
}


@task_postrun.connect
def _release_database_connections(sender=None, **_kwargs) -> None:
    """After each task, as Django does after each request: back to the pool, or dropped if broken/old.

    Not after an eager task: that runs inside its caller's request or transaction, whose connection stays.
    """
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@worker_process_init.connect
def _freeze_startup_objects(**_kwargs) -> None:
    """Each worker process, once started: its start-up objects stay out of the collector's way."""
    from backend.core.gc_tuning import freeze_startup_objects

    freeze_startup_objects()


@worker_ready.connect
def _heartbeat_at_start(**_kwargs) -> None:
    """A worker that has just started says so at once: beat's first heartbeat comes only a minute later,
    and until then /readyz and the dashboard would report a running worker as missing."""
    from backend.core.tasks import worker_heartbeat

    try:
        worker_heartbeat()
    except Exception:  # the database may still be starting: beat's heartbeat follows within a minute
        logger.warning("Could not record the worker's heartbeat at start", exc_info=True)
