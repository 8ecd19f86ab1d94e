"""Time the repayment schedule generators on a 120-installment schedule (XLSX, CSV, PDF).

    .venv/bin/python bench/bench_generators.py [--quick]

Targets: XLSX and CSV well under 100 ms, PDF well under 500 ms. Pure functions of data: no database.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")


def _schedule_export():
    from backend.contracts.exports import ScheduleExport, ScheduleLine
    from backend.contracts.schedule import compute_schedule

    rows = compute_schedule(
        financed_amount=Decimal("1250000.00"),
        residual_value=Decimal("125000.00"),
        annual_rate_percent=Decimal("7.25"),
        months=120,
        payment_day=15,
        first_month=date(2026, 1, 1),
    )
    return ScheduleExport(
        contract_number="UL/2026/000120",
        client_name="Przedsiębiorstwo Łączności Żółć sp. z o.o.",
        currency="PLN",
        lines=tuple(ScheduleLine(**{**row.__dict__, "paid": row.number <= 30}) for row in rows),
    )


def _time(fn, data, repeats: int) -> dict[str, float]:
    fn(data)  # warm-up: template, font and library loading are not part of a request's cost
    samples, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(data)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    # CPU time as well as wall time: on a shared, loaded machine the wall time also counts waiting.
    return {
        "median_ms": round(statistics.median(samples), 1),
        "max_ms": round(max(samples), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "runs": repeats,
    }


def run(*, quick: bool = False) -> dict:
    import django

    django.setup()
    from backend.contracts.exports import schedule_to_csv, schedule_to_pdf, schedule_to_xlsx

    data = _schedule_export()
    repeats = 5 if quick else 20
    return {
        "rows": len(data.lines),
        "xlsx": _time(schedule_to_xlsx, data, repeats),
        "csv_excel_pl": _time(schedule_to_csv, data, repeats),
        "csv_rfc4180": _time(lambda d: schedule_to_csv(d, dialect="rfc4180"), data, repeats),
        "pdf": _time(schedule_to_pdf, data, max(3, repeats // 4)),
    }


def main() -> None:
    figures = run(quick="--quick" in sys.argv)
    print(f"120-row schedule ({figures['rows']} rows), median / max of repeated runs after a warm-up:")
    for name in ("xlsx", "csv_excel_pl", "csv_rfc4180", "pdf"):
        f = figures[name]
        print(
            f"  {name:13s} {f['median_ms']:8.1f} ms  (max {f['max_ms']:.1f} ms, CPU {f['cpu_median_ms']:.1f} ms, "
            f"{f['runs']} runs)"
        )


if __name__ == "__main__":
    main()
