"""Static files under ASGI stream from an async body: the same bytes, and no Django warning."""

from __future__ import annotations

import warnings
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import AsyncClient, Client

from tests.notifications.sockets import run

STATIC_PATH = "portal_ui/portal.css"


def test_a_static_file_over_asgi_streams_without_a_warning():
    # given
    expected = Path(finders.find(STATIC_PATH)).read_bytes()

    async def fetch():
        response = await AsyncClient().get(f"/static/{STATIC_PATH}")
        return response, b"".join([chunk async for chunk in response.streaming_content])

    # when
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response, body = run(fetch)

    # then
    assert response.status_code == 200
    assert response.is_async
    assert body == expected
    assert not [w for w in caught if "synchronous iterators" in str(w.message)]


def test_a_static_file_over_wsgi_is_the_plain_file_response():
    response = Client().get(f"/static/{STATIC_PATH}")
    assert response.status_code == 200
    assert not response.is_async
    assert b"".join(response.streaming_content) == Path(finders.find(STATIC_PATH)).read_bytes()
