"""Smoke test of bench/bench_reads.py's HTTP part on a tiny seeded data set: the sampled users log in over
HTTP, read every endpoint of the bench and the run prints the #18 targets line (no timings are asserted;
benchmarks are never pass/fail)."""

from __future__ import annotations

import os

import pytest

from bench import bench_reads
from bench.common import in_child_process


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the embedded default only")
def test_the_http_part_reads_every_endpoint_as_the_sampled_users(monkeypatch, tmp_path):
    # given a data set of three clients, seeded as the bench seeds its own
    monkeypatch.setenv("PORTAL_BENCH_READS_DB", str(tmp_path / "reads.sqlite3"))
    env, _info = bench_reads.prepare_sqlite(3)

    # when
    figures = in_child_process("bench.bench_reads:measure_http", env)

    # then every endpoint answered 200 to every sampled user, with its SQL counted and its server CPU
    assert "error" not in figures, figures.get("trace")
    assert "errors" not in figures, figures["errors"]
    assert set(figures["endpoints"]) == set(bench_reads.ENDPOINTS)
    expected = figures["users_sampled"] * bench_reads.HTTP_REPEATS
    assert all(value["n"] == expected for value in figures["endpoints"].values())
    assert all(min(counts) > 0 for counts in figures["sql_statements_per_request"].values())
    assert all(ms >= 0 for ms in figures["server_cpu_ms_per_request"].values())
    assert figures["targets"].startswith("#18 targets ")


def test_the_targets_line_says_which_reads_met_p95_under_20_ms():
    endpoints = {
        "invoice_list_page_1": {"n": 100, "p95_ms": 13.04},
        "settlement_summary": {"n": 100, "p95_ms": 23.4},
        "contract_schedule": {"n": 0},
    }

    line = bench_reads.targets_line(endpoints)

    assert line == (
        "#18 targets 1/2 met: invoice_list_page_1 p95 13.0 ms < 20 met; "
        "settlement_summary p95 23.4 ms < 20 NOT met"
    )
