"""Celery tasks of core: the worker's heartbeat, which /readyz and the admin dashboard read."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from backend.core.models import WorkerHeartbeat

WORKER = "worker"


@shared_task(name="core.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """Beat, every minute: a worker ran it just now (so beat queues and a worker takes tasks)."""
    WorkerHeartbeat.objects.update_or_create(
        name=WORKER, defaults={"seen_at": timezone.now(), "hostname": socket.gethostname()[:255]}
    )
