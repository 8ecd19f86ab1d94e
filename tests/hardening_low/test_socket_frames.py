"""A frame the socket cannot use is ignored with a warning and an error frame; the socket stays usable."""

from __future__ import annotations

import logging

import pytest

from backend.requests_app.models import PortalRequest, RequestKind, RequestType
from notifications.consumers import MAX_FRAME_CHARS
from tests.notifications.sockets import close, communicator_for, headers_for, run

# Real commits: the consumer reads the database from other threads.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_relay")]

INVALID = {"type": "error", "code": "invalid_frame"}


@pytest.fixture
def own_request(acme, client_user) -> PortalRequest:
    return PortalRequest.objects.create(
        number="WN/2026/000501",
        type=RequestType.OTHER,
        kind=RequestKind.OTHER_REQUEST,
        client=acme,
        submitted_by=client_user,
        contact_name="Anna Kowalska",
        contact_phone="+48 600 100 200",
        contact_email="anna@acme.pl",
    )


BAD_FRAMES = [
    pytest.param({"text_data": "not json {"}, id="not-json"),
    pytest.param({"text_data": '["watch_request", 1]'}, id="json-array"),
    pytest.param({"text_data": '"watch_request"'}, id="json-string"),
    pytest.param({"text_data": "null"}, id="json-null"),
    pytest.param({"bytes_data": b"\x00\x01binary"}, id="binary"),
    pytest.param(
        {"text_data": '{"action": "watch_request", "pad": "' + "x" * MAX_FRAME_CHARS + '"}'}, id="oversized"
    ),
    # Within the size limit, but deeper than the JSON decoder's recursion: RecursionError, not ValueError.
    pytest.param({"text_data": "[" * 2000 + "]" * 2000}, id="nested-too-deeply"),
]


@pytest.mark.parametrize("frame", BAD_FRAMES)
def test_a_bad_frame_is_answered_with_an_error_and_the_socket_keeps_working(
    frame, client_user, own_request, caplog
):
    headers = headers_for(client_user)

    async def scenario():
        communicator = communicator_for(headers)
        connected, _ = await communicator.connect()
        assert connected
        await communicator.receive_json_from(timeout=5)  # hello
        await communicator.send_to(**frame)
        answer = await communicator.receive_json_from(timeout=5)
        await communicator.send_json_to({"action": "watch_request", "request_id": own_request.pk})
        after = await communicator.receive_json_from(timeout=5)
        await close(communicator)
        return answer, after

    with caplog.at_level(logging.WARNING, logger="notifications.consumers"):
        answer, after = run(scenario)

    assert answer == INVALID
    assert after == {"type": "watching", "request_id": own_request.pk}
    assert any("WebSocket frame ignored" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("request_id", [1e300, 10**30, True, None, "abc", [1], -5])
def test_a_malformed_request_id_is_refused_without_an_exception(request_id, client_user, own_request):
    headers = headers_for(client_user)

    async def scenario():
        communicator = communicator_for(headers)
        await communicator.connect()
        await communicator.receive_json_from(timeout=5)
        await communicator.send_json_to({"action": "watch_request", "request_id": request_id})
        answer = await communicator.receive_json_from(timeout=5)
        await communicator.send_json_to({"action": "watch_request", "request_id": own_request.pk})
        after = await communicator.receive_json_from(timeout=5)
        await close(communicator)
        return answer, after

    answer, after = run(scenario)

    assert answer == {"type": "error", "code": "invalid_request_id"}
    assert after == {"type": "watching", "request_id": own_request.pk}
