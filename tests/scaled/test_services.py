"""The scaled settings really reach PostgreSQL and Redis, and the Redis layer spans processes."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.scaled


@pytest.mark.django_db
def test_database_is_postgresql_with_row_locks():
    # given / when
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()

    # then
    assert connection.vendor == "postgresql"
    assert connection.features.has_select_for_update_skip_locked
    assert version.startswith("PostgreSQL")


def test_channel_layer_message_crosses_between_layer_instances():
    # given: two layer instances built from the settings, as two ASGI processes would build them
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    sender = channel_layers.make_backend("default")
    receiver = channel_layers.make_backend("default")

    async def round_trip() -> dict:
        channel = await receiver.new_channel()
        await receiver.group_add("scaled-test-client-1", channel)
        try:
            await sender.group_send("scaled-test-client-1", {"type": "stage.changed", "request_id": 7})
            return await asyncio.wait_for(receiver.receive(channel), timeout=10)
        finally:
            await receiver.group_discard("scaled-test-client-1", channel)

    # when
    message = async_to_sync(round_trip)()

    # then
    assert message == {"type": "stage.changed", "request_id": 7}
