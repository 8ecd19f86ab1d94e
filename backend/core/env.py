"""One place that reads configuration from the environment."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from backend.core.db_circuit import CircuitConnection

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_OFF = _FALSE | {"none"}


class ConfigurationError(ImproperlyConfigured):
    """A variable of the environment the portal cannot use: its message names it and says what to set."""


def env(name: str, default: Any = None, *, cast: type | None = None) -> Any:
    """Return the environment variable `name`, cast to `cast` (bool, int, list, float).

    A value that does not read as its type stops the process naming the variable: DJANGO_PRODUCTION=ture
    must not quietly mean "not production"."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if cast is bool:
        return env_bool(name, raw)
    if cast in (int, float):
        try:
            return cast(raw)
        except ValueError:
            kind = "a whole number" if cast is int else "a number"
            raise ConfigurationError(f"{name}={raw!r} is not {kind}: set {name} to {kind}.") from None
    if cast is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def env_bool(name: str, raw: str) -> bool:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigurationError(
        f"{name}={raw!r} is neither true nor false: set {name} to true or false (1/0, yes/no and on/off "
        "are read too)."
    )


# DRF's rate syntax: a number of requests per second, minute, hour or day ("30/hour", "5/m").
_RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def throttle_rate(value: str) -> str | None:
    """An API throttle rate from the environment: "N/period", or None for "off" (not limited).

    A malformed value stops the process at start-up instead of failing every limited call later.
    """
    text = str(value).strip().lower()
    if text in _OFF:
        return None
    if not _RATE.match(text):
        raise ValueError(f'Invalid API throttle rate {value!r}: use "N/second|minute|hour|day" or "off"')
    return text


_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """A rate `throttle_rate` accepted, as (actions allowed, window in seconds): "30/hour" → (30, 3600)."""
    count_text, period = rate.split("/")
    return int(count_text), _PERIOD_SECONDS[period[0]]


# psycopg's pool gives up reconnecting after this many seconds (its retries double from 1 s up to it).
POOL_RECONNECT_SECONDS = 5.0


def database_from_url(
    url: str, *, pool_min_size: int = 1, pool_max_size: int = 8, pool_timeout: float = 10
) -> dict[str, Any]:
    """Turn `postgres://user:pass@host:port/name` into a Django DATABASES entry with a connection pool.

    Under ASGI every request runs in a thread of its own, so a persistent connection (CONN_MAX_AGE > 0)
    belongs to a thread that is gone after the response and is never reused or closed: the server runs
    out of connections. psycopg's pool (Django 5.1+) hands each request a connection and takes it back
    when the request ends; a process never holds more than `pool_max_size`. `?pool=off` in the URL turns
    it off (e.g. behind PgBouncer in transaction mode).

    With the pool, parameters are bound by the server and a statement run five times on a connection is
    prepared there (`server_side_binding`, psycopg's `prepare_threshold`): psycopg no longer quotes every
    value into the SQL text and PostgreSQL no longer parses and plans the same statements again on each
    step (bench/bench_http.py). Django turns both off by default for external poolers, and so does
    `?pool=off`; `?server_side_binding=off` and `?prepare_threshold=off` (or a number) set them apart.
    """
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ValueError(f"Unsupported DATABASE_URL scheme: {parsed.scheme!r}")
    options: dict[str, Any] = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    pooled = str(options.pop("pool", "on")).lower() not in _OFF
    if pooled:
        # timeout: how long a request waits for a free connection before it fails (503, not a hang); while
        # the server refuses connections backend/core/db_circuit.py answers at once instead.
        # reconnect_timeout: psycopg retries a failed connection with a doubling delay (1, 2, 4 … s) until
        # this; its default of 5 min let an outage of half a minute leave the pool waiting half a minute more
        # after the server was back. Once it gives up, the next request that waits starts a new attempt.
        options["pool"] = {
            "min_size": pool_min_size,
            "max_size": pool_max_size,
            "timeout": pool_timeout,
            "reconnect_timeout": POOL_RECONNECT_SECONDS,
            # A refused connection opens backend/core/db_circuit.py's circuit at once: 503 without waiting.
            "connection_class": CircuitConnection,
        }
    options["server_side_binding"] = str(options.get("server_side_binding", pooled)).lower() in _TRUE
    threshold = str(options.pop("prepare_threshold", "5" if pooled else "off")).lower()
    if threshold not in _OFF - {"0"}:  # 0 is psycopg's "prepare at once"
        options["prepare_threshold"] = int(threshold)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        # Pooled connections go back to the pool at the end of each request. Health checks on: with the pool,
        # Django has psycopg's pool check a connection as it hands it out (an empty statement), so the
        # connections a server restart broke are replaced then, not each failing one request afterwards.
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }
