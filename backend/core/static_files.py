"""WhiteNoise for static files, with a body the ASGI handler can stream without a warning.

WhiteNoise answers with a FileResponse over a plain file: under ASGI Django then warns on every static
file ("StreamingHttpResponse must consume synchronous iterators") and buffers the body through a
thread. Handing the ASGI handler an async iterator over the same chunks avoids both; WSGI (tests,
management commands) keeps the plain file response.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, StreamingHttpResponse
from whitenoise.middleware import WhiteNoiseMiddleware


async def _chunks(content: Iterable[bytes]) -> AsyncIterator[bytes]:
    # Static files are read from the page cache in 8 KiB chunks: cheap enough for the event loop.
    for chunk in content:
        yield chunk


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoiseMiddleware whose responses to ASGI requests stream asynchronously."""

    @staticmethod
    def serve(static_file, request: HttpRequest) -> StreamingHttpResponse:
        response = WhiteNoiseMiddleware.serve(static_file, request)
        if isinstance(request, ASGIRequest) and response.streaming and not response.is_async:
            response.streaming_content = _chunks(response.streaming_content)
        return response
