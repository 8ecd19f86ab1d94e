"""Start the portal's web server: the one command `make run`, the benches and the scaled tests share.

    .venv/bin/python scripts/serve_web.py --host 127.0.0.1 --port 8000 [--log-level warning]

The process replaces itself with the server (exec), so its pid is the server's: Ctrl-C, `kill` and the
benches' CPU accounting (/proc/<pid>/stat of it and its children) see the real server.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def server_command(*, host: str, port: int, log_level: str, access_log: bool, processes: int) -> list[str]:
    """Return the argv of the web server for `host`:`port`."""
    args = [sys.executable, "-m", "uvicorn", "backend.config.asgi:serve", "--factory", "--host", host]
    # The level through a logging config, not --log-level, which would hide that uvicorn restarted a
    # process that died (said at INFO; backend/config/server_logging.py makes it a warning).
    args += ["--port", str(port), "--lifespan", "off", "--log-config", str(logging_config_file(log_level))]
    # The portal reads X-Forwarded-For itself, from PORTAL_TRUSTED_PROXIES only (backend/core/net.py).
    args.append("--no-proxy-headers")
    if processes > 1:
        args += ["--workers", str(processes)]
    if not access_log:
        args.append("--no-access-log")
    return args


def logging_config_file(log_level: str) -> Path:
    """uvicorn's logging config for `log_level` as a JSON file (written whole: several servers may start)."""
    sys.path.insert(0, str(REPO_ROOT))
    from backend.config.server_logging import logging_config

    path = Path(tempfile.gettempdir()) / f"portal-web-logging-{os.getuid()}-{log_level.lower()}.json"
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as file:
        json.dump(logging_config(log_level), file)
    os.replace(partial, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default=os.environ.get("PORTAL_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORTAL_PORT", "8000")))
    parser.add_argument("--log-level", default="warning")
    parser.add_argument("--no-access-log", action="store_true")
    parser.add_argument(
        "--processes",
        type=int,
        default=int(os.environ.get("PORTAL_WEB_PROCESSES", "1")),
        help="web processes",
    )
    args = parser.parse_args()
    os.chdir(REPO_ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
    command = server_command(
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=not args.no_access_log,
        processes=args.processes,
    )
    os.execv(command[0], command)  # noqa: S606 - a fixed argv, no shell


if __name__ == "__main__":
    main()
