"""Django's WSGI handler on a thread pool inside the ASGI server, with one hand-off per request.

a2wsgi's bridge (used before) makes the request thread wait for the event loop four times per request:
for the body, the response start, each chunk and the end. Each wait hands the GIL to the loop thread and
back, and under load a hand-off waits for the interpreter's switch interval (5 ms) while other request
threads compute: bench/bench_http.py saw a fifth of a step's wall time spent there. Here the loop reads
a small body before the request goes to a thread, and the thread returns a small response whole: one
hand-off there and one back. Large bodies (uploads) and large responses (files, exports) still stream,
through a2wsgi's blocking body reader and a blocking send per chunk.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from a2wsgi.wsgi import Body, build_environ

logger = logging.getLogger(__name__)

# A request body up to this size is read by the loop before the request goes to its thread.
BUFFERED_BODY_BYTES = 256 * 1024
# A response up to this size goes back whole; a longer one is sent chunk by chunk as it is produced.
BUFFERED_RESPONSE_BYTES = 512 * 1024


class _Response:
    """What the WSGI application started: status, headers and the chunks not sent yet."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.size = 0
        self.streaming = False  # the start was already sent from the thread

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info=None):
        if exc_info is not None and self.streaming:
            raise exc_info[1].with_traceback(exc_info[2])  # too late to change the status (PEP 3333)
        self.status = int(status.split(" ", 1)[0])
        self.headers = [
            (name.strip().lower().encode("latin1"), value.strip().encode("latin1")) for name, value in headers
        ]
        return self.write

    def write(self, chunk: bytes) -> None:  # also the legacy write() callable of start_response
        self.chunks.append(chunk)
        self.size += len(chunk)


class ThreadPoolWSGI:
    """An ASGI application serving HTTP through a WSGI application on `workers` threads."""

    def __init__(self, app, *, workers: int) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(thread_name_prefix="HTTP", max_workers=workers)

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"ThreadPoolWSGI serves HTTP only, not {scope['type']!r}")
        loop = asyncio.get_running_loop()
        body = await _read_small_body(scope, receive)
        if body is _DISCONNECTED:
            return  # the client left before sending the whole body: nothing to run
        wsgi_input = io.BytesIO(body) if body is not None else Body(loop, receive)
        environ = build_environ(scope, wsgi_input)
        environ["wsgi.errors"] = sys.stderr
        response = _Response()

        def send_from_thread(message: dict) -> None:
            asyncio.run_coroutine_threadsafe(send(message), loop).result()

        context = contextvars.copy_context()
        try:
            await loop.run_in_executor(
                self.executor, context.run, self._run, environ, response, send_from_thread
            )
        except Exception:
            logger.exception("The WSGI application failed on %s %s", scope.get("method"), scope.get("path"))
            if not response.streaming:
                await send({"type": "http.response.start", "status": 500, "headers": []})
                await send({"type": "http.response.body", "body": b""})
            return
        if not response.streaming:
            await send(
                {"type": "http.response.start", "status": response.status, "headers": response.headers}
            )
            await send({"type": "http.response.body", "body": b"".join(response.chunks)})

    def _run(self, environ: dict, response: _Response, send_from_thread) -> None:
        """In a pool thread: run the application; stream only once the response outgrows the buffer."""
        iterable = self.app(environ, response.start_response)
        try:
            for chunk in iterable:
                if not chunk:
                    continue
                if response.streaming:
                    send_from_thread({"type": "http.response.body", "body": chunk, "more_body": True})
                    continue
                response.write(chunk)
                if response.size > BUFFERED_RESPONSE_BYTES:
                    response.streaming = True
                    send_from_thread(
                        {
                            "type": "http.response.start",
                            "status": response.status,
                            "headers": response.headers,
                        }
                    )
                    buffered, response.chunks = b"".join(response.chunks), []
                    send_from_thread({"type": "http.response.body", "body": buffered, "more_body": True})
            if response.streaming:
                send_from_thread({"type": "http.response.body", "body": b""})
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()  # Django's request_finished (database connections) runs in this same thread


_DISCONNECTED = object()


async def _read_small_body(scope: dict, receive) -> Any:
    """The whole body when it is declared and small; None to stream it from the thread instead;
    _DISCONNECTED when the client went away first."""
    length = _content_length(scope)
    if length is None or length > BUFFERED_BODY_BYTES:
        return None
    if length == 0:
        return b""
    parts: list[bytes] = []
    while True:
        message: dict[str, Any] = await receive()
        if message["type"] == "http.disconnect":
            return _DISCONNECTED
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def _content_length(scope: dict) -> int | None:
    """The declared length; 0 without one (HTTP/1.1: no length and no chunking means no body); None
    for a chunked body or an unreadable length (streamed, as before)."""
    length = 0
    for name, value in scope.get("headers", []):
        if name == b"transfer-encoding":
            return None
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return None
    return length
