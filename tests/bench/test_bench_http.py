"""Smoke test of bench/bench_http.py: it drives the real server and prints its summary line (no timings
are asserted; benchmarks are never pass/fail)."""

from __future__ import annotations

import os
import re
import time

import pytest

from bench import bench_http

SUMMARY = re.compile(
    r"^HTTP step median: [\d.]+ ms; server CPU per request: [\d.]+ ms; "
    r"bare engine step: [\d.]+ ms; steps/s at 4 clients: [\d.]+$"
)


def test_the_cpu_of_a_process_tree_counts_this_process():
    before = bench_http.tree_cpu_ms(os.getpid())
    sum(i * i for i in range(200_000))  # some CPU of our own
    assert bench_http.tree_cpu_ms(os.getpid()) >= before > 0


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the embedded default only")
def test_a_quick_run_drives_every_step_over_http_without_errors(monkeypatch):
    # given the shortest phases and the web server alone (no worker to wait for)
    monkeypatch.setenv("BENCH_HTTP_SECONDS", "1")
    monkeypatch.setenv("BENCH_HTTP_WORKER", "off")

    # when
    figures = bench_http.run(quick=True)["sqlite"]

    # then every step went through at 1 and 4 clients, with its SQL counted and the summary line printed
    assert "error" not in figures, figures.get("trace")
    for level in ("1_clients", "4_clients"):
        assert figures[level]["errors"] == 0, figures[level]["first_errors"]
        assert all(figures[level]["per_step"][step]["n"] > 0 for step in bench_http.STEPS)
        assert all(min(counts) > 0 for counts in figures[level]["sql_statements_per_step"].values())
    assert figures[level]["server_cpu_ms_per_request"] > 0
    # and the floor beside them: the lightest authenticated GET, its server CPU set against the bare step
    lightest = figures["lightest_call"]
    assert lightest["url"] == bench_http.LIGHTEST_URL and lightest["n"] > 0
    assert lightest["server_cpu_ms_per_request"] > 0 and lightest["ratio_cpu_to_bare"] > 0
    assert SUMMARY.match(figures["summary"])
    assert figures["targets"].startswith("#18 targets ")


def figures_of(
    *, medians: tuple[float, ...], cpu: float, bare: float, steps_per_s: float, p95_ratio: float
) -> dict:
    per_step = {step: {"p50_ms": ms} for step, ms in zip(bench_http.STEPS, medians, strict=True)}
    return {
        "1_clients": {"per_step": per_step, "server_cpu_ms_per_request": cpu, "errors": 0},
        "4_clients": {"steps_per_s": steps_per_s, "p95_over_median": p95_ratio, "errors": 0},
        "bare_engine_step": {"p50_ms": bare},
    }


def test_the_targets_line_says_which_of_the_issues_targets_a_run_met():
    figures = figures_of(medians=(9.8, 8.5, 9.4, 11.7), cpu=9.2, bare=1.0, steps_per_s=91.1, p95_ratio=1.98)

    line = bench_http.targets_line(figures)

    assert line.startswith("#18 targets 6/9 met: ")
    assert "submit median 9.8 ms ≤ 10 met" in line
    assert "approve median 11.7 ms ≤ 10 NOT met" in line
    assert "server CPU 9.2× the bare step ≤ 3× NOT met" in line
    assert "91.1 steps/s at 4 clients ≥ 100 NOT met" in line
    assert "p95 1.98× the median at 4 clients ≤ 4× met" in line


def test_a_run_that_meets_every_target_says_so():
    figures = figures_of(medians=(4.0, 3.0, 3.5, 5.0), cpu=2.5, bare=1.0, steps_per_s=150.0, p95_ratio=2.0)
    assert bench_http.targets_line(figures).startswith("#18 targets 9/9 met: ")


def test_on_postgresql_the_step_medians_are_not_a_target():
    """The issue asks for medians ≤ 10 ms on the embedded default; PostgreSQL + Redis is held to the rest."""
    figures = figures_of(
        medians=(14.0, 12.0, 12.5, 15.0), cpu=7.5, bare=1.0, steps_per_s=104.0, p95_ratio=1.6
    )

    line = bench_http.targets_line(figures, embedded=False)

    assert line.startswith("#18 targets 4/5 met: ")
    assert not any(f"{step} median" in line for step in bench_http.STEPS)
    assert "server CPU 7.5× the bare step ≤ 3× NOT met" in line
    assert "104.0 steps/s at 4 clients ≥ 100 met" in line


def test_a_worker_that_stopped_during_the_run_is_an_error_of_the_run():
    figures = figures_of(medians=(4.0, 3.0, 3.5, 5.0), cpu=2.5, bare=1.0, steps_per_s=150.0, p95_ratio=2.0)
    figures["worker_stopped"] = "Unrecoverable error: JSONDecodeError"

    line = bench_http.targets_line(figures)

    assert line.startswith("#18 targets 8/9 met: ")
    assert "1 errors (the worker stopped) = 0 NOT met" in line


@pytest.mark.django_db(transaction=True)
def test_the_notice_backlog_is_the_age_of_the_oldest_event_the_worker_has_not_handled():
    from datetime import timedelta

    from django.utils import timezone

    from backend.core.models import OutboxEvent
    from bench.http_portal import NoticeBacklog

    backlog = NoticeBacklog(interval=0.05)
    assert backlog.oldest_age() == 0.0  # nothing waiting

    handled = OutboxEvent.objects.create(kind="request.submitted", subject_type="x", subject_id=1)
    handled.notified_at = timezone.now()
    handled.save()
    waiting = OutboxEvent.objects.create(kind="request.submitted", subject_type="x", subject_id=2)
    OutboxEvent.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(seconds=3))
    assert 3 <= backlog.oldest_age() < 10

    with backlog:  # sampled from a thread of its own while a phase runs
        deadline = time.monotonic() + 5
        while len(backlog.ages) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(backlog.ages) >= 2 and all(3 <= age < 10 for age in backlog.ages)
