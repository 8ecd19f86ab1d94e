"""The Content-Security-Policy (django-csp 4) every page runs under."""

from __future__ import annotations


def content_security_policy(base_url: str) -> dict:
    """No inline scripts or event handlers anywhere: every script is a static file and data for scripts
    comes through json_script (type="application/json", never executed). Every page runs under it: the
    Django admin and the Swagger UI (sidecar files, split view) included."""
    scheme, _, rest = base_url.partition("://")
    live_socket_origin = ("wss://" if scheme == "https" else "ws://") + rest.split("/", 1)[0]
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            # No 'unsafe-inline' for styles either: no template has a style attribute or <style>, and
            # bpmn-js styles its elements through the CSSOM (element.style), which the policy does not restrict.
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "font-src": ["'self'", "data:"],  # bpmn-js's icon font is embedded in its stylesheet as data:
            # 'self' covers same-origin ws(s):// in current browsers; the portal's own origin is named for others.
            "connect-src": ["'self'", live_socket_origin],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        },
    }
