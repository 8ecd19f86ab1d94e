"""Several ASGI processes poll the outbox at once: each event is pushed by exactly one of them."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from backend.core.models import OutboxEvent
from notifications.push import claim_events_to_push

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="in-memory SQLite cannot hold two writers; runs on PostgreSQL"
)
def test_concurrent_relays_claim_every_event_once(acme):
    # given
    OutboxEvent.objects.bulk_create(
        OutboxEvent(kind=OutboxEvent.Kind.REQUEST_STAGE_CHANGED, client=acme, subject_type="x", subject_id=n)
        for n in range(60)
    )
    claimed: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def relay(slot: int) -> None:
        try:
            start.wait()
            while batch := claim_events_to_push(limit=4):
                claimed[slot].extend(event.pk for event in batch)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=relay, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert not set(claimed[0]) & set(claimed[1])
    assert sorted(claimed[0] + claimed[1]) == sorted(OutboxEvent.objects.values_list("pk", flat=True))
    assert not OutboxEvent.objects.filter(pushed_at__isnull=True).exists()
