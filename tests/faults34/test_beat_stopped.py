"""Beat stopped (killed), the worker alive: the heartbeat beat queues stops, and the dashboard's "no signal" tile
named only the worker; the operator who restarted the worker saw nothing change. It names beat too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.models import User
from backend.core import tasks
from backend.core.models import WorkerHeartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_silent_heartbeat_sends_the_operator_to_the_worker_and_beat(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a real worker's set-up: its heartbeat is read
    tasks.worker_heartbeat()
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5, seconds=5))
    client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True))

    html = client.get("/staff/").content.decode()

    tile = html[html.index('data-testid="op-worker"') :][:700]
    assert "brak sygnału od 5 min: e-maile, dokumenty i terminy czekają (sprawdź worker i beat)" in tile
