"""A stopped Celery worker (or beat) is reported: /readyz names it and the admin dashboard says for how
long it has not been seen; the test suite's eager tasks need no worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.models import User
from backend.core import tasks
from backend.core.models import WorkerHeartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_worker_settings(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False


def test_readyz_names_a_worker_not_seen_for_minutes_without_taking_the_web_out_of_service(
    client, real_worker_settings
):
    # given: the worker last ran beat's heartbeat five minutes ago
    tasks.worker_heartbeat()
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5, seconds=10))

    # when
    response = client.get("/readyz")

    # then: reported, while the pages (database, broker) still answer
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["worker"] == {"status": "error", "message": "worker not seen for 5 min"}
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_says_so_when_no_worker_was_ever_seen_and_is_ok_once_one_runs(client, real_worker_settings):
    never = client.get("/readyz").json()
    tasks.worker_heartbeat()
    seen = client.get("/readyz").json()

    assert never["status"] == "degraded" and never["checks"]["worker"]["status"] == "error"
    assert seen["status"] == "ok" and seen["checks"]["worker"]["status"] == "ok"


def test_eager_tasks_need_no_worker(client):
    body = client.get("/readyz").json()
    assert body["status"] == "ok" and body["checks"]["worker"]["status"] == "ok"


def test_the_admin_dashboard_says_how_long_the_worker_has_not_been_seen(client, real_worker_settings):
    # given
    tasks.worker_heartbeat()
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=7, seconds=5))
    client.force_login(UserFactory(role=User.Role.ADMIN, is_staff=True))

    # when
    html = client.get("/staff/").content.decode()

    # then
    tile = html[html.index('data-testid="op-worker"') :][:600]
    assert (
        "stat-tile bad"
        in html[html.index('data-testid="op-worker"') - 40 : html.index('data-testid="op-worker"')]
    )
    assert "Brak sygnału" in tile and "brak sygnału od 7 min" in tile


def test_beat_runs_the_heartbeat_every_minute():
    from backend.config.celery import app

    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"] == "core.worker_heartbeat"]
    assert entry["schedule"] == 60.0
