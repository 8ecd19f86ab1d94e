"""The WebSocket handshake's Origin check: the page's own origin, as Django's CSRF check has it.

channels' AllowedHostsOriginValidator compares only the Origin's host with ALLOWED_HOSTS, whatever its
scheme and port. SameSite=Lax session cookies go with a handshake from any origin of the same site, so a
page on another port or on plain http of the portal's host could open a socket with the user's session.
This check (inside that validator) also wants the scheme and port: those the handshake was made to (its
Host header; https when the TLS proxy says so, as SECURE_PROXY_SSL_HEADER has Django believe it), the
portal's public address (PORTAL_BASE_URL, whatever Host a proxy passes on) or CSRF_TRUSTED_ORIGINS.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings


def _header(scope: dict, name: bytes) -> str | None:
    for header, value in scope.get("headers", []):
        if header == name:
            return value.decode("latin1")
    return None


def _handshake_is_secure(scope: dict) -> bool:
    if scope.get("scheme") == "wss":
        return True
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy_header:
        return False
    name, secure_value = proxy_header  # "HTTP_X_FORWARDED_PROTO" → b"x-forwarded-proto"
    sent = _header(scope, name.removeprefix("HTTP_").lower().replace("_", "-").encode())
    return sent is not None and sent.split(",")[0].strip() == secure_value


def allowed_origins(scope: dict) -> list[str]:
    """The origins whose pages may open this handshake's socket."""
    public = urlsplit(settings.PORTAL_BASE_URL)
    origins = [f"{public.scheme}://{public.netloc}"]
    # Django's "https://*.example.com" is channels' "https://.example.com".
    origins += [origin.replace("://*.", "://.") for origin in settings.CSRF_TRUSTED_ORIGINS]
    host = _header(scope, b"host")
    if host:
        origins.append(f"{'https' if _handshake_is_secure(scope) else 'http'}://{host}")
    return origins


class SameOriginValidator(OriginValidator):
    """Refuse a handshake (403) whose Origin is none of `allowed_origins`.

    A handshake without a Host header comes from no browser (a browser always sends one, and only a browser
    carries the user's cookies unasked): the host check around this one is then all there is.
    """

    def __init__(self, application) -> None:
        super().__init__(application, allowed_origins=[])

    async def __call__(self, scope, receive, send):
        if _header(scope, b"host") is None:
            return await self.application(scope, receive, send)
        if self._same_origin(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)

    def _same_origin(self, scope: dict) -> bool:
        # Per handshake, never stored on the shared instance: the allowed origins depend on the scope.
        origin = _header(scope, b"origin")
        if not origin:
            return False
        try:
            parsed = urlsplit(origin)
            return any(self.match_allowed_origin(parsed, pattern) for pattern in allowed_origins(scope))
        except ValueError:  # a port that is no number, in the Origin or the Host header
            return False
