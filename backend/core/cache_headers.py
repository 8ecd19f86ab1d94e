"""`Cache-Control: no-store` on every response except static files.

Decision: the portal has no public page worth caching. Pages and API answers of a logged-in user carry
private data; the anonymous ones (login, password reset, bank hand-off) carry CSRF tokens or single-use
assertions, and an error answer must not be replayed from a cache either. So everything outside
STATIC_URL is marked no-store, which is simpler to reason about than a list of private URLs and cannot
miss a new one. Static files (hashed names, served by WhiteNoise before this middleware runs) keep their
long-lived caching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Forbid browsers and shared proxies to keep a copy of any non-static response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        # Django has already made a relative STATIC_URL absolute ("static/" → "/static/").
        self.static_prefix = settings.STATIC_URL

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            # max-age=0, no-cache, no-store, must-revalidate, private and an Expires in the past.
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"  # HTTP/1.0 caches
        return response
