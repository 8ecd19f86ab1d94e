"""The pieces of bench/bench_http.py that talk to the server: starting it as `make run` does, its CPU time,
a browser-like client that logs in through the forms, and the worker's backlog after a run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import REPO_ROOT, Server, free_port

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PASSWORD = "Test-password-2026"  # tests/factories.PASSWORD: the bench's people come from the factories
SECOND_FACTOR_PATH = "/login/code/"  # where the login form sends staff who must give an app's code


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # after "pid (comm) "; comm may hold spaces


def process_tree(root: int) -> list[int]:
    """The pid `root` and every live descendant."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, []))
    return tree


def tree_cpu_ms(root: int) -> float:
    """utime + stime of `root` and its live descendants, plus what reaped children left in the root."""
    ticks = 0
    for pid in process_tree(root):
        fields = _stat_fields(pid)
        if fields:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat(5))
            if pid == root:
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime of waited-for children
    return ticks * 1000 / CLOCK_TICKS


def database_server_pid() -> int | None:
    """The PostgreSQL server (postmaster) of Django's connection when it runs on this machine, else None.

    Its process tree (the backends serving the web server and the worker) is the database's CPU: on 2
    shared cores it is taken from the steps like the worker's, so the bench reports it beside them.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    fields = _stat_fields(backend)  # None when the server runs elsewhere (its pids are not ours)
    return int(fields[1]) if fields else None


def start_portal(env: dict[str, str], log_dir: Path) -> tuple[Server, Server, str]:
    """Start the web server (scripts/serve_web.py) and a Celery worker with make run's arguments."""
    import httpx

    port = free_port()
    web_args = [sys.executable, str(REPO_ROOT / "scripts" / "serve_web.py"), "--host", "127.0.0.1"]
    web_args += ["--port", str(port), "--no-access-log"]
    worker_args = [sys.executable, "-m", "celery", "-A", "backend.config", "worker", "--loglevel=INFO"]
    worker_args += ["--concurrency=2"]
    # BENCH_HTTP_WORKER=off measures the web server alone (nothing renders documents or sends e-mails).
    with_worker = os.environ.get("BENCH_HTTP_WORKER", "on") != "off"
    worker = Server(worker_args if with_worker else ["sleep", "infinity"], env, log_dir / "worker.log")
    web = Server(web_args, env, log_dir / "web.log")
    base_url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(base_url + "/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        web.wait_for(healthy, "answering /healthz")
        if with_worker:
            worker.wait_for(lambda: b" ready." in worker.log_path.read_bytes(), "ready")
    except BaseException:
        web.stop()
        worker.stop()
        raise
    return web, worker, base_url


class Browser:
    """One logged-in user over keep-alive HTTP: session cookie, CSRF cookie and header, as a page sends."""

    def __init__(self, base_url: str):
        import httpx

        self.base_url = base_url
        self.http = httpx.AsyncClient(base_url=base_url, timeout=60, limits=httpx.Limits(max_connections=1))

    async def login(self, email: str, second_factor_code=None, *, password: str = PASSWORD) -> None:
        """Log in through the login form; answer the code step with `second_factor_code()` if asked."""
        response = await self._submit_form("/login/", {"username": email, "password": password})
        if response.status_code != 302 or "sessionid" not in self.http.cookies:
            raise RuntimeError(f"login of {email} → {response.status_code}: {response.text[:200]}")
        next_url = response.headers.get("location", "")
        if second_factor_code is not None and next_url.startswith(SECOND_FACTOR_PATH):
            response = await self._submit_form(next_url, {"code": await second_factor_code()})
            if response.status_code != 302:
                raise RuntimeError(f"second factor of {email} → {response.status_code}")

    async def _submit_form(self, url: str, fields: dict[str, str]):
        page = await self.http.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or token is None:
            raise RuntimeError(f"GET {url} → {page.status_code}, no CSRF token")
        return await self.http.post(
            url,
            data={**fields, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": self.base_url + url},
        )

    async def post(self, url: str, body: dict, expected: int = 200) -> tuple[dict, int]:
        csrf = self.http.cookies.get("csrftoken", "")
        response = await self.http.post(url, json=body, headers={"X-CSRFToken": csrf})
        if response.status_code != expected:
            raise RuntimeError(f"POST {url} → {response.status_code}: {response.text[:300]}")
        return response.json(), int(response.headers.get("X-SQL-Count", -1))

    async def get(self, url: str, expected: int = 200) -> tuple[dict, int]:
        """GET `url` as the page's scripts do; return the JSON answer and the request's SQL statements."""
        response = await self.http.get(url)
        if response.status_code != expected:
            raise RuntimeError(f"GET {url} → {response.status_code}: {response.text[:300]}")
        return response.json(), int(response.headers.get("X-SQL-Count", -1))

    async def close(self) -> None:
        await self.http.aclose()


def wait_for_documents(timeout: float = 60.0) -> dict:
    """Wait up to `timeout` for the worker's backlog: decision documents and notifications not made yet."""
    from backend.core.models import OutboxEvent
    from backend.requests_app.models import PortalRequest

    decided = PortalRequest.objects.filter(decided_at__isnull=False)
    deadline = time.monotonic() + timeout
    while True:
        missing = decided.filter(decision_document__isnull=True).count()
        not_notified = OutboxEvent.objects.filter(notified_at__isnull=True).count()
        if (missing == 0 and not_notified == 0) or time.monotonic() > deadline:
            return {
                "decided": decided.count(),
                "without_document": missing,
                "outbox_events": OutboxEvent.objects.count(),
                "outbox_not_notified": not_notified,
            }
        time.sleep(0.5)


class NoticeBacklog:
    """How far behind the worker is while a phase runs: the age of the oldest outbox event not yet turned
    into notices and e-mails, read every `interval` seconds from a thread of its own (its own connection).

    A worker that stops or falls behind shows here as a growing age, not only in the backlog after the run.
    """

    def __init__(self, interval: float = 0.5):
        self.interval = interval
        self.ages: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="notice-backlog", daemon=True)

    def __enter__(self) -> NoticeBacklog:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def oldest_age(self) -> float:
        """Seconds since the oldest outbox event the worker has not handled was written (0: none)."""
        from django.db.models import Min
        from django.utils import timezone

        from backend.core.models import OutboxEvent

        oldest = OutboxEvent.objects.filter(notified_at__isnull=True).aggregate(oldest=Min("created_at"))
        return (timezone.now() - oldest["oldest"]).total_seconds() if oldest["oldest"] else 0.0

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self._stop.wait(self.interval):
                self.ages.append(self.oldest_age())
        finally:
            connection.close()


def start_profiler(pid: int, out: str | None) -> subprocess.Popen | None:
    """Sample `pid` and its children with py-spy for the whole run into `out`.

    BENCH_HTTP_PYSPY=<file> profiles the web server, BENCH_HTTP_PYSPY_WORKER=<file> the Celery worker.

    Only the thread holding the GIL is sampled (`--gil`): the profile shows where CPU goes, not waits.
    The file holds collapsed stacks (`--format raw`, one line per stack with its sample count), which
    `py-spy`'s speedscope or flamegraph tools and a few lines of Python can sum by layer.
    """
    if not out:
        return None
    py_spy = Path(sys.executable).with_name("py-spy")
    args = [
        str(py_spy),
        "record",
        "--pid",
        str(pid),
        "--subprocesses",
        "--rate",
        "200",
        "--format",
        "raw",
        "--gil",
    ]
    return subprocess.Popen([*args, "--output", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def authenticator_codes(user):
    """An authenticator app for `user` (staff must give a code at login), or None without django-otp."""
    from django.apps import apps

    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return None
    from asgiref.sync import sync_to_async
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(
        user=user, name="bench", key="00112233445566778899aabbccddeeff00112233"
    )

    @sync_to_async
    def code() -> str:
        # A code counts once per 30 s step: the bench's staff browsers log in within one.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        return f"{totp.token():0{device.digits}d}"

    return code
