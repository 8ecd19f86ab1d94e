"""gzip for pages and API answers: Django's GZipMiddleware, for whole text responses only.

A list page of 44 KB of HTML travels as about 6 KB. Django's middleware (4.2+) pads each gzip header
with up to 100 random bytes against BREACH-style length attacks ("Heal The Breach"), and Django masks
the CSRF token differently in every response. Left alone:
- streaming responses: file downloads (PDF, ZIP, XLSX are compressed already) and exports; the WSGI
  bridge (backend/config/wsgi_bridge.py) sends them chunk by chunk as they are produced;
- anything not text: images, documents, archives;
- static files: WhiteNoise answers them above this middleware, with its own pre-compressed copies.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

# Content types worth compressing (the part before ";").
_TEXT_TYPES = ("text/", "application/json", "application/problem+json", "application/javascript")
_TEXT_SUFFIXES = ("+json", "+xml", "/xml", "openapi")


def _is_text(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith(_TEXT_TYPES) or media_type.endswith(_TEXT_SUFFIXES)


class PortalGZipMiddleware(GZipMiddleware):
    """GZipMiddleware limited to whole (non-streaming) text responses."""

    def process_response(self, request, response):
        if response.streaming or not _is_text(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
