"""Per-user limits on the API's expensive or permanent actions (a PDF rendered, a duplicate recorded for good,
a file stored, a request or message sent, an invitation e-mailed).

A view names the scope of each limited method: `throttle_scopes = {"POST": "duplicates"}`; other methods
of the view (its list, say) are not counted. The rates are settings (`API_THROTTLE_RATES`, each
overridable from the environment); a scope whose rate is None is not limited. Over the limit: 429
`throttled` in the error shape with `Retry-After` (backend/core/exceptions.py).

The count is a fixed window per user and scope, kept in the "throttle" cache with add + incr: atomic on
Redis, which the scaled mode uses (so the count holds across web replicas), and on the embedded mode's
file cache shared by the processes of one host (there two concurrent requests of one user may both read
the same count: the limit may be passed by the requests that raced, never by a sequence of them).

The pages that do the same work (send a message, a request, order a duplicate…) count against the same
scopes (`take_action`, portal_ui/page_limits.py): one limit, whichever way the action is sent.

When the counter's store cannot be reached (Redis down), the limit fails open: the action is served
uncounted and a warning is logged at most once a minute per process; /readyz and the admin dashboard
name it (`rate_limits`, backend/core/health.py). A 503 would take the portal's uploads, duplicates and
exports down with Redis.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle

from backend.core.env import parse_rate

logger = logging.getLogger(__name__)

THROTTLE_CACHE = "throttle"
WARN_EVERY_SECONDS = 60.0

_warned_at = 0.0
_warn_lock = threading.Lock()


def throttle_scope(view, method: str) -> str | None:
    """The scope that limits `method` on `view`, or None (also read by the schema, to document 429)."""
    method = method.upper()
    if method == "HEAD":  # DRF answers HEAD with the GET handler: the same work, the same count
        method = "GET"
    return (getattr(view, "throttle_scopes", None) or {}).get(method)


class ActionThrottle(BaseThrottle):
    """The API's side: the scope chosen by the request's method; DRF answers 429 with Retry-After."""

    def __init__(self) -> None:
        self.seconds_to_wait: float | None = None

    def allow_request(self, request, view) -> bool:
        scope = throttle_scope(view, request.method)
        user = getattr(request, "user", None)
        if scope is None or not (user and user.is_authenticated):
            return True  # unauthenticated calls are refused before any work
        self.seconds_to_wait = take_action(user.pk, scope)
        return self.seconds_to_wait is None

    def wait(self) -> float | None:
        return self.seconds_to_wait


def take_action(user_id: int, scope: str) -> float | None:
    """Count one action of the user in the scope: None when it is within the limit (or the scope is not
    limited, or the store is down: fail open), else the seconds until the window ends (at least 1).

    The API's views count through ActionThrottle; the pages that do the same work through
    portal_ui/page_limits.py, so a limit holds whichever way the action is sent."""
    rate = settings.API_THROTTLE_RATES[scope]  # a scope named wrong fails loudly, never goes unlimited
    if rate is None or not settings.API_THROTTLE_ENABLED:
        return None
    allowed, duration = parse_rate(rate)  # checked at start-up (backend/core/env.throttle_rate)
    now = time.time()
    window = int(now // duration)
    try:
        count = _count(f"{scope}:{user_id}:{window}", duration)
    except Exception as exc:  # the store is down (redis.ConnectionError, an OSError…): fail open
        warn_uncounted(scope, exc)
        return None
    if count <= allowed:
        return None
    return max((window + 1) * duration - now, 1)


def _count(key: str, duration: int) -> int:
    cache = caches[THROTTLE_CACHE]
    cache.add(key, 0, timeout=duration + 1)  # a no-op when the window has its counter already
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window again
        cache.set(key, 1, timeout=duration + 1)
        return 1


def warn_uncounted(scope: str, exc: BaseException) -> None:
    """Log that limits go uncounted, at most once a minute per process (also the permit page's limit)."""
    global _warned_at
    now = time.monotonic()
    with _warn_lock:
        if _warned_at and now - _warned_at < WARN_EVERY_SECONDS:
            return
        _warned_at = now
    logger.warning(
        "API and page rate limits not counted (%s and every other scope): store unavailable: %r", scope, exc
    )


def check_store() -> None:
    """Raise when the counters' store cannot be reached (the readiness check `rate_limits`)."""
    caches[THROTTLE_CACHE].get("readyz")
