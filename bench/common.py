"""Shared pieces of the benches: skipping, timing statistics, a private database, portal processes."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "bench" / "results"


class Skip(Exception):
    """A bench cannot run yet (a dependency is missing); the message says why."""


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """Return count, median, p95, p99, mean and max of timings in milliseconds."""
    if not samples_ms:
        return {"n": 0}
    ordered = sorted(samples_ms)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(at(0.95), 3),
        "p99_ms": round(at(0.99), 3),
        "mean_ms": round(statistics.fmean(ordered), 3),
        "max_ms": round(ordered[-1], 3),
    }


def timed_ms(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


class QueryCounter:
    """Count the SQL statements run on `connection` inside the block, without keeping them."""

    def __init__(self, connection):
        self.connection = connection
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def machine() -> dict[str, str | int]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count() or 0, "cpu_model": model, "python": sys.version.split()[0]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --- databases ------------------------------------------------------------------------------------


def database_urls(*, postgres_only: bool = False) -> list[tuple[str, str | None]]:
    """Return the back ends to measure: ("sqlite", None) and, when DATABASE_URL is set, PostgreSQL."""
    backends: list[tuple[str, str | None]] = [] if postgres_only else [("sqlite", None)]
    if os.environ.get("DATABASE_URL"):
        backends.append(("postgresql", os.environ["DATABASE_URL"]))
    return backends


@contextmanager
def private_database(database_url: str | None):
    """Yield environment variables for a fresh, empty portal database that is deleted afterwards.

    SQLite: a file in a temporary folder. PostgreSQL: a new database on the server of `database_url`
    (its user needs CREATEDB, as scripts/scaled-services.sh gives it), dropped at the end.
    """
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as var_dir:
        env = {"PORTAL_VAR_DIR": var_dir, "PORTAL_MEDIA_ROOT": str(Path(var_dir) / "media")}
        if database_url is None:
            env["SQLITE_PATH"] = str(Path(var_dir) / "bench.sqlite3")
            env["DATABASE_URL"] = ""
            yield env
            return
        import psycopg

        name = f"portal_bench_{uuid.uuid4().hex[:8]}"
        # The URL's query holds the portal's options (pool, server_side_binding …), not libpq's.
        admin_url = urlunparse(urlparse(database_url)._replace(query=""))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunparse(urlparse(database_url)._replace(path="/" + name))
        try:
            yield env
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The benchmarks drive thousands of submits and uploads per user: the API's per-user limits
# (backend/core/throttling.py) are off in their processes and in the servers they start.
BENCH_SETTINGS = {"API_THROTTLE_ENABLED": "false"}


def setup_django(env: dict[str, str]) -> None:
    """Configure this process for the database of `env` and bring its schema up to date."""
    for key, value in {**BENCH_SETTINGS, **env}.items():
        if value == "":
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
    sys.path.insert(0, str(REPO_ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def process_env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {"DJANGO_SETTINGS_MODULE": "backend.config.settings", "PYTHONUNBUFFERED": "1", **BENCH_SETTINGS}
    )
    for key, value in extra.items():
        if value == "":
            env.pop(key, None)
        else:
            env[key] = value
    return env


# --- portal processes -----------------------------------------------------------------------------


class Server:
    """A portal process started for a bench, with its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path):
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            args, cwd=REPO_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_for(self, ready, what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"exited with {self.process.returncode}: {self.log_tail()}")
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"not {what} after {timeout:.0f} s: {self.log_tail()}")

    def log_tail(self, chars: int = 2000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def start_asgi(env: dict[str, str], log_dir: Path, name: str = "web") -> tuple[Server, str]:
    import httpx

    port = free_port()
    # The web server as `make run` starts it (scripts/serve_web.py).
    args = [sys.executable, str(REPO_ROOT / "scripts" / "serve_web.py"), "--host", "127.0.0.1"]
    args += ["--port", str(port), "--no-access-log"]
    server = Server(args, env, log_dir / f"{name}.log")
    base_url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(base_url + "/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        server.wait_for(healthy, "answering /healthz")
    except BaseException:
        server.stop()
        raise
    return server, base_url


def start_worker(env: dict[str, str], log_dir: Path, name: str = "worker") -> Server:
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "backend.config",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
    ]
    args += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"{name}@%h"]
    server = Server(args, env, log_dir / f"{name}.log")
    try:
        server.wait_for(lambda: b" ready." in server.log_path.read_bytes(), "ready")
    except BaseException:
        server.stop()
        raise
    return server


# --- one measurement per process ------------------------------------------------------------------


def in_child_process(target: str, *args) -> dict:
    """Run `module:function(*args)` in a fresh Python process and return the figures it returns.

    Django is set up once per process, so each database and configuration is measured in its own. The
    arguments and figures travel as JSON. A Skip raised there becomes a Skip here; any other failure is
    returned as {"error", "trace"} so the other measurements still count.
    """
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); from bench.common import _child_main; _child_main()"
        )
        subprocess.run(
            [sys.executable, "-c", code, str(REPO_ROOT), target, json.dumps(args), out.name],
            cwd=REPO_ROOT,
            check=False,
        )
        text = Path(out.name).read_text()
    figures = json.loads(text) if text else {"error": "child process failed"}
    if "skipped" in figures:
        raise Skip(figures["skipped"])
    return figures


def _child_main() -> None:
    import importlib
    import traceback

    target, args, out = sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
    module_name, function_name = target.split(":")
    try:
        figures = getattr(importlib.import_module(module_name), function_name)(*args)
    except Skip as skip:
        figures = {"skipped": str(skip)}
    except Exception as error:  # reported, not raised: the other figures still count
        figures = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
    Path(out).write_text(json.dumps(figures, default=str))
