"""Where a posted or queried `next` may send the browser back to: a path (or URL) of this site, else a fallback.

Django's redirect() reads a value without a slash as a URL pattern's name: a posted `next=zzz` raised
NoReverseMatch (a 500 of the staff's claim, the client switch, the login's code step) and `next=logout` was
reversed to a real page. A value passes only as a path of this host, so the redirect never reverses a name.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """`candidate` when it is a path or URL of this site (https kept on https), else `fallback`."""
    if not candidate or not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    parts = urlsplit(candidate)
    return candidate if parts.scheme or parts.path.startswith("/") else fallback


def redirect_to_next(request: HttpRequest, candidate: str | None, fallback: str) -> HttpResponseRedirect:
    """Redirect to safe_next_url's answer (a URL, never a pattern name to reverse)."""
    return HttpResponseRedirect(safe_next_url(request, candidate, fallback))
