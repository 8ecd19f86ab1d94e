"""One place that reads configuration from the environment."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

_TRUE = {"1", "true", "yes", "on"}


def env(name: str, default: Any = None, *, cast: type | None = None) -> Any:
    """Return the environment variable `name`, cast to `cast` (bool, int, list, float)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if cast is bool:
        return raw.strip().lower() in _TRUE
    if cast is int:
        return int(raw)
    if cast is float:
        return float(raw)
    if cast is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def database_from_url(url: str, *, pool_min_size: int = 1, pool_max_size: int = 8) -> dict[str, Any]:
    """Turn `postgres://user:pass@host:port/name` into a Django DATABASES entry with a connection pool.

    Under ASGI every request runs in a thread of its own, so a persistent connection (CONN_MAX_AGE > 0)
    belongs to a thread that is gone after the response and is never reused or closed: the server runs
    out of connections. psycopg's pool (Django 5.1+) hands each request a connection and takes it back
    when the request ends; a process never holds more than `pool_max_size`. `?pool=off` in the URL turns
    it off (e.g. behind PgBouncer in transaction mode).
    """
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ValueError(f"Unsupported DATABASE_URL scheme: {parsed.scheme!r}")
    options: dict[str, Any] = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    if str(options.pop("pool", "on")).lower() not in {"off", "false", "0"}:
        # timeout: how long a request waits for a free connection before it fails (503, not a hang).
        options["pool"] = {"min_size": pool_min_size, "max_size": pool_max_size, "timeout": 10}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        # Pooled connections go back to the pool at the end of each request; the pool checks them.
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": "pool" not in options,
        "OPTIONS": options,
    }
