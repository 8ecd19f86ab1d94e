"""/readyz tells everyone whether the portal is ready (status and HTTP code) but names its checks (database,
broker folder, worker's last heartbeat...) only to a probe on this host or a caller with the operator token;
outside callers are answered from a shared recent answer, so they cannot drive the checks' writes."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.core import health

pytestmark = pytest.mark.django_db

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture(autouse=True)
def _fresh_answer():
    health.forget_readiness()
    yield
    health.forget_readiness()


def test_an_outside_caller_gets_the_status_alone():
    response = Client().get("/readyz", **OUTSIDE)
    assert response.status_code == 200
    assert set(response.json()) == {"status"}


def test_a_probe_relayed_by_a_proxy_is_an_outside_caller():
    response = Client().get("/readyz", HTTP_X_FORWARDED_FOR="203.0.113.7")  # nginx on this host
    assert set(response.json()) == {"status"}


def test_this_hosts_probe_and_the_operator_token_get_the_checks(settings):
    assert "database" in Client().get("/readyz").json()["checks"]  # REMOTE_ADDR 127.0.0.1, no proxy

    settings.PORTAL_READYZ_TOKEN = "s3cret-monitor-token"
    monitor = Client().get("/readyz", HTTP_X_READYZ_TOKEN="s3cret-monitor-token", **OUTSIDE)
    assert "database" in monitor.json()["checks"]
    wrong = Client().get("/readyz", HTTP_X_READYZ_TOKEN="guess", **OUTSIDE)
    assert set(wrong.json()) == {"status"}


def test_an_unready_portal_is_503_for_everyone_without_details(monkeypatch):
    failing = health.CheckResult(False, "broker folder not writable")
    monkeypatch.setitem(health.READINESS_CHECKS, "broker", lambda: failing)

    response = Client().get("/readyz", **OUTSIDE)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "broker" not in response.content.decode()


def test_outside_callers_do_not_run_the_checks_each_time(monkeypatch):
    runs = []
    real = health.READINESS_CHECKS["broker"]
    monkeypatch.setitem(health.READINESS_CHECKS, "broker", lambda: runs.append(1) or real())

    for _ in range(5):
        Client().get("/readyz", **OUTSIDE)
        health._last_readiness = (health._last_readiness[0] - 3, health._last_readiness[1])  # 3 s pass

    assert len(runs) == 2  # one run per READINESS_PUBLIC_MAX_AGE (10 s), not one per 2 s
