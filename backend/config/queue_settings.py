"""Settings of what the processes share: the caches (throttle counts) and the embedded folder broker."""

from __future__ import annotations

from pathlib import Path


def caches(redis_url: str | None, var_dir: Path) -> dict:
    """The default cache stays per process. The API's throttle counts (backend/core/throttling.py) must hold
    for every process of the portal: Redis in the scaled mode, files in var/ (shared by the processes of one
    host) when embedded."""
    if redis_url:
        throttle = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "throttle",
            # A Redis that hangs must not hang the API: the limit then fails open (backend/core/throttling.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    else:
        throttle = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(var_dir / "throttle"),
            # Its incr() writes the count again with this timeout (Redis keeps the key's own): at least a
            # day, the longest window, or a count would lapse inside its window.
            "TIMEOUT": 86400 + 60,
            "OPTIONS": {"MAX_ENTRIES": 5000},  # a file per user, scope and window; culled past this
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "throttle": throttle}


def folder_broker_options(broker_dir: Path) -> dict:
    """The filesystem transport is the embedded broker: several processes share one folder, no server.
    Its messages are written aside and renamed into the folder whole (backend/config/folder_broker.py)."""
    broker_dir.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(broker_dir),
        "data_folder_out": str(broker_dir),
        "control_folder": str(broker_dir / "control"),
        # A worker whose prefetch slots are full sleeps this long before it looks again (kombu's default
        # is 1 s, which capped the embedded worker at ~2 tasks/s whatever their length; bench_http).
        "polling_interval": 0.1,
    }
