"""Smoke test of bench/bench_http.py: it drives the real server and prints its summary line (no timings
are asserted; benchmarks are never pass/fail)."""

from __future__ import annotations

import os
import re

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
    assert SUMMARY.match(figures["summary"])
