"""Run the portal's benches, print their figures and write them as JSON to bench/results/.

    .venv/bin/python bench/run.py            # everything, full size (make bench)
    .venv/bin/python bench/run.py --quick    # smaller runs, for a look in a few minutes
    .venv/bin/python bench/run.py --only workflow_step throughput
    .venv/bin/python bench/run.py --scaled   # SQLite and PostgreSQL + Redis (private servers, stopped after)

Each bench runs in its own Python process (fresh settings, fresh database, no shared caches). A bench
whose dependency is not there yet prints "skipped: <reason>"; one that fails prints its error; neither
stops the others. With DATABASE_URL set (eval "$(scripts/scaled-services.sh start)", or --scaled) the
benches that touch the database measure PostgreSQL as well; with REDIS_URL the servers use Redis. Benches are never part of the pass/fail test suite.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.common import RESULTS_DIR, Skip, machine  # noqa: E402

# name → module of bench/ with `run(*, quick: bool) -> dict`
BENCHES = {
    "workflow_step": "bench.bench_workflow_step",
    "http": "bench.bench_http",
    "throughput": "bench.bench_throughput",
    "reads": "bench.bench_reads",
    "timer_sweep": "bench.bench_timers",
    "push_latency": "bench.bench_push",
    "memory": "bench.bench_memory",
    "generators": "bench.bench_generators",
    "worker": "bench.bench_worker",
}


def run_one(name: str, *, quick: bool, out: Path) -> None:
    """Run one bench in this process and write {"status", "figures" | "reason" | "error"} to `out`."""
    started = time.monotonic()
    try:
        try:
            module = importlib.import_module(BENCHES[name])
        except ModuleNotFoundError as error:
            if error.name and BENCHES[name].startswith(error.name):
                raise Skip(f"{BENCHES[name].replace('.', '/')}.py is not there yet") from error
            raise
        if hasattr(module, "run"):
            figures = module.run(quick=quick)
        elif hasattr(module, "main"):
            figures = {"output": _capture_main(module, quick=quick)}
        else:
            raise Skip(f"{module.__name__} has neither run(quick=...) nor main()")
        result = {"status": "ok", "figures": figures}
    except Skip as skip:
        result = {"status": "skipped", "reason": str(skip)}
    except Exception as error:
        result = {
            "status": "failed",
            "error": f"{type(error).__name__}: {error}",
            "trace": traceback.format_exc(),
        }
    result["seconds"] = round(time.monotonic() - started, 1)
    # Other work on the machine skews every figure: keep the load beside them.
    result["load_average_1_5_15"] = [round(value, 2) for value in os.getloadavg()]
    out.write_text(json.dumps(result, default=str))


def _capture_main(module, *, quick: bool) -> str:
    """Run a bench written as a script (main()) and keep what it printed."""
    import contextlib
    import io

    buffer = io.StringIO()
    argv = sys.argv
    sys.argv = [module.__file__] + (["--quick"] if quick else [])
    try:
        with contextlib.redirect_stdout(buffer):
            module.main()
    finally:
        sys.argv = argv
    return buffer.getvalue()


def show(name: str, result: dict) -> None:
    status = result["status"]
    if status == "skipped":
        print(f"  skipped: {result['reason']}")
        return
    if status == "failed":
        print(f"  FAILED: {result['error']}")
        return
    for line in summary_lines(result["figures"]):
        print("  " + line)
    print(f"  ({result['seconds']} s, load average {result.get('load_average_1_5_15')})")


def summary_lines(figures, prefix: str = "") -> list[str]:
    """Flatten figures to readable lines; a timing dict becomes one line of percentiles."""
    if isinstance(figures, dict) and "p50_ms" in figures:
        parts = [f"{key.removesuffix('_ms')} {figures[key]:.2f} ms" for key in ("p50_ms", "p95_ms", "p99_ms")]
        return [f"{prefix}: " + ", ".join(parts) + f" (n={figures.get('n')})"]
    if isinstance(figures, dict):
        lines = []
        for key, value in figures.items():
            if key == "trace":
                continue
            lines += summary_lines(value, f"{prefix}.{key}" if prefix else str(key))
        return lines
    if isinstance(figures, str) and "\n" in figures:
        return [f"{prefix}:"] + ["  " + line for line in figures.splitlines()]
    return [f"{prefix}: {figures}"]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller runs (minutes instead of an hour)")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHES), help="run only these benches")
    parser.add_argument("--one", choices=sorted(BENCHES), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=int, default=None, help="seconds per bench")
    parser.add_argument(
        "--scaled",
        action="store_true",
        help="also measure PostgreSQL + Redis: start private servers (scripts/scaled-services.sh) for the run",
    )
    args = parser.parse_args()

    if args.one:
        run_one(args.one, quick=args.quick, out=args.out)
        return 0

    if args.scaled and not os.environ.get("DATABASE_URL"):
        return run_with_scaled_services(sys.argv[1:])

    timeout = args.timeout or (1200 if args.quick else 5400)
    report = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "postgresql": bool(os.environ.get("DATABASE_URL")),
        "benches": {},
    }
    print(
        f"Machine: {report['machine']['cpus']} CPUs, {report['machine']['cpu_model']}, "
        f"Python {report['machine']['python']}; PostgreSQL: {'yes' if report['postgresql'] else 'no'}"
    )
    for name in args.only or list(BENCHES):
        print(f"\n=== {name} ===", flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [sys.executable, str(Path(__file__).resolve()), "--one", name, "--out", out.name]
            command += ["--quick"] if args.quick else []
            # Its own session, so a timeout also stops the servers the bench started.
            process = subprocess.Popen(command, cwd=REPO_ROOT, start_new_session=True)
            try:
                returncode = process.wait(timeout=timeout)
                text = Path(out.name).read_text()
                result = (
                    json.loads(text)
                    if text
                    else {"status": "failed", "error": f"bench process exited with {returncode}"}
                )
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
                result = {"status": "failed", "error": f"timed out after {timeout} s"}
        report["benches"][name] = result
        show(name, result)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str)
    (RESULTS_DIR / f"bench-{stamp}.json").write_text(text)
    (RESULTS_DIR / "latest.json").write_text(text)
    print(f"\nWritten: bench/results/bench-{stamp}.json (and latest.json)")
    return 0


def run_with_scaled_services(argv: list[str]) -> int:
    """Start a private PostgreSQL + Redis, run the benches against them, stop and delete them."""
    script = REPO_ROOT / "scripts" / "scaled-services.sh"
    env = dict(os.environ, PORTAL_SCALED_DIR=tempfile.mkdtemp(prefix="portal-bench-scaled-"))
    started = subprocess.run(
        ["bash", str(script), "start"], env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    if started.returncode != 0:
        print(f"could not start PostgreSQL + Redis:\n{started.stderr}")
        return 1
    try:
        for assignment in started.stdout.split()[1:]:  # "export DATABASE_URL=... REDIS_URL=..."
            name, _, value = assignment.partition("=")
            env[name] = value
        return subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), *argv], env=env, check=False
        ).returncode
    finally:
        subprocess.run(["bash", str(script), "stop"], env=env, stdin=subprocess.DEVNULL, check=False)


if __name__ == "__main__":
    sys.exit(main())
