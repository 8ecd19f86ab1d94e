"""The HTTP bridge of `make run` (backend/config/wsgi_bridge.py): Django's WSGI handler on a thread pool,
one hand-off per request for small bodies and responses, streaming for large ones."""

from __future__ import annotations

import threading

import pytest

from backend.config.wsgi_bridge import BUFFERED_BODY_BYTES, BUFFERED_RESPONSE_BYTES, ThreadPoolWSGI
from tests.notifications.sockets import run


class Recorder:
    """A WSGI application that records what it read and answers with `chunks`."""

    def __init__(self, chunks: list[bytes] | None = None, *, fail: bool = False) -> None:
        self.chunks = chunks if chunks is not None else [b"ok"]
        self.fail = fail
        self.bodies: list[bytes] = []
        self.threads: list[str] = []
        self.closed_in: list[str] = []

    def __call__(self, environ, start_response):
        if self.fail:
            raise RuntimeError("the application broke")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else environ["wsgi.input"].read()
        self.bodies.append(body)
        self.threads.append(threading.current_thread().name)
        start_response("201 Created", [("Content-Type", "text/plain"), ("X-Seen", str(len(body)))])
        return self._respond()

    def _respond(self):
        recorder = self

        class Body:
            def __iter__(self):
                return iter(recorder.chunks)

            def close(self):
                recorder.closed_in.append(threading.current_thread().name)

        return Body()


def scope(*, method: str = "POST", headers: list[tuple[bytes, bytes]] = ()) -> dict:
    return {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/api/thing/",
        "root_path": "",
        "query_string": b"",
        "headers": list(headers),
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
    }


def serve(app, request_scope: dict, messages: list[dict]) -> list[dict]:
    """Run one request through the bridge; return what it sent."""
    bridge = ThreadPoolWSGI(app, workers=2)
    sent: list[dict] = []

    async def scenario():
        incoming = list(messages)

        async def receive():
            return incoming.pop(0) if incoming else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        await bridge(request_scope, receive, send)

    try:
        run(scenario)
    finally:
        bridge.executor.shutdown()
    return sent


def body_of(sent: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_small_request_goes_to_a_pool_thread_whole_and_comes_back_in_one_body_message():
    app = Recorder([b"hello ", b"world"])
    body = b'{"message": "Odpowied\xc5\xba"}'

    sent = serve(
        app,
        scope(headers=[(b"content-length", str(len(body)).encode())]),
        [
            {"type": "http.request", "body": body[:10], "more_body": True},
            {"type": "http.request", "body": body[10:]},
        ],
    )

    assert app.bodies == [body]
    assert app.threads[0].startswith("HTTP")  # the pool's thread, not the event loop's
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 201 and (b"x-seen", str(len(body)).encode()) in sent[0]["headers"]
    assert body_of(sent) == b"hello world"
    assert app.closed_in == app.threads  # close() (Django's request_finished) ran in the request's thread


def test_a_large_upload_streams_to_the_application_intact():
    upload = bytes(range(256)) * ((BUFFERED_BODY_BYTES * 2) // 256 + 7)
    parts = [upload[i : i + 65536] for i in range(0, len(upload), 65536)]
    messages = [
        {"type": "http.request", "body": p, "more_body": i < len(parts) - 1} for i, p in enumerate(parts)
    ]
    app = Recorder()

    sent = serve(app, scope(headers=[(b"content-length", str(len(upload)).encode())]), messages)

    assert app.bodies == [upload]
    assert sent[0]["status"] == 201


def test_a_chunked_body_without_a_length_streams_too():
    app = Recorder()
    sent = serve(
        app,
        scope(headers=[(b"transfer-encoding", b"chunked")]),
        [
            {"type": "http.request", "body": b"abc", "more_body": True},
            {"type": "http.request", "body": b"def"},
        ],
    )
    assert app.bodies == [b"abcdef"]
    assert sent[0]["status"] == 201


def test_a_large_response_is_sent_in_chunks_as_it_is_produced():
    chunk = b"x" * 65536
    chunks = [chunk] * ((BUFFERED_RESPONSE_BYTES * 3) // len(chunk))
    app = Recorder(chunks)

    sent = serve(app, scope(method="GET"), [{"type": "http.request", "body": b""}])

    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 201
    assert len(bodies) > 2 and bodies[-1] == {"type": "http.response.body", "body": b""}
    assert all(m.get("more_body") for m in bodies[:-1])
    assert body_of(sent) == b"".join(chunks)
    assert app.closed_in == app.threads


def test_an_application_that_raises_answers_500():
    sent = serve(Recorder(fail=True), scope(method="GET"), [{"type": "http.request", "body": b""}])
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 500
    assert body_of(sent) == b""


def test_a_client_that_leaves_before_its_body_is_sent_runs_nothing():
    app = Recorder()
    sent = serve(
        app,
        scope(headers=[(b"content-length", b"100")]),
        [{"type": "http.request", "body": b"partial", "more_body": True}, {"type": "http.disconnect"}],
    )
    assert app.bodies == [] and sent == []


def test_only_http_is_served():
    with pytest.raises(ValueError, match="HTTP only"):
        serve(Recorder(), {"type": "websocket"}, [])
