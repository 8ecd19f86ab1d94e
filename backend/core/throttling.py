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

When the counter's store cannot be reached (Redis down), the limit fails open: the action is served
uncounted, as the pages serve the same actions without any limit, and a warning is logged at most once a
minute per process; /readyz and the admin dashboard name it (`rate_limits`, backend/core/health.py). A 503
would take the API's uploads, duplicates and exports down with Redis while the pages do the same work.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

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


class ActionThrottle(SimpleRateThrottle):
    """DRF's rate syntax ("30/hour") and Retry-After, with the scope chosen by the request's method."""

    timer = time.time

    def __init__(self) -> None:  # the rate depends on the request: chosen in allow_request
        self.rate = None
        self.num_requests = self.duration = None

    def allow_request(self, request, view) -> bool:
        scope = throttle_scope(view, request.method)
        user = getattr(request, "user", None)
        if scope is None or not settings.API_THROTTLE_ENABLED or not (user and user.is_authenticated):
            return True  # unauthenticated calls are refused before any work
        self.rate = settings.API_THROTTLE_RATES[scope]
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        try:
            count = self._count(f"{scope}:{user.pk}:{window}")
        except Exception as exc:  # the store is down (redis.ConnectionError, an OSError…): fail open
            warn_uncounted(scope, exc)
            return True
        return count <= self.num_requests

    def _count(self, key: str) -> int:
        cache = caches[THROTTLE_CACHE]
        cache.add(key, 0, timeout=self.duration + 1)  # a no-op when the window has its counter already
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: this request opens the window again
            cache.set(key, 1, timeout=self.duration + 1)
            return 1

    def wait(self) -> float:
        return max(self.window_ends - self.now, 1)


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
