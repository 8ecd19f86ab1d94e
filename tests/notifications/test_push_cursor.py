"""Per-process relays on the in-memory channel layer: every process reads every event, writing nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.core.models import OutboxEvent
from notifications.push import OutboxCursor, relays_every_event

pytestmark = pytest.mark.django_db

Kind = OutboxEvent.Kind


def event_for(client, n: int) -> OutboxEvent:
    return OutboxEvent.objects.create(
        kind=Kind.REQUEST_STAGE_CHANGED, client=client, subject_type="x", subject_id=n, payload={"n": n}
    )


def test_every_process_relays_every_event_only_on_a_per_process_layer(settings):
    # the embedded in-memory layer: each process for its own sockets; Redis: one claimer for all
    per_process = settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert relays_every_event() is per_process


def test_two_process_cursors_each_read_every_new_event_once_and_claim_nothing(acme):
    # given two processes' relays that started before the events
    process_a, process_b = OutboxCursor(), OutboxCursor()
    assert process_a.read() == [] and process_b.read() == []

    # when three events commit, and both relays read twice
    made = [event_for(acme, n).pk for n in range(3)]
    first_a, first_b = process_a.read(), process_b.read()
    again_a, again_b = process_a.read(), process_b.read()

    # then each relay got each event once, and the rows are left for the claim-based relay as they were
    assert [e.pk for e in first_a] == made and [e.pk for e in first_b] == made
    assert again_a == [] and again_b == []
    assert OutboxEvent.objects.filter(pk__in=made, pushed_at__isnull=True).count() == 3


def test_a_relay_starting_late_skips_old_events_but_gets_what_came_just_before(acme):
    # given an event from minutes ago and one from just now
    old = event_for(acme, 1)
    OutboxEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    fresh = event_for(acme, 2)

    # when a relay starts (the first socket of the process opens)
    first = OutboxCursor().read()

    # then only the fresh one is pushed
    assert [event.pk for event in first] == [fresh.pk]


def test_an_event_committed_late_with_a_lower_id_is_still_read_once(acme):
    # given a relay that has read up to some event
    cursor = OutboxCursor()
    cursor.read()
    lower, higher = event_for(acme, 1), event_for(acme, 2)
    # (PostgreSQL: the lower id's transaction commits after the higher one's; hidden here by deleting it)
    lower_pk = lower.pk
    lower_values = {"kind": lower.kind, "client": acme, "subject_type": "x", "subject_id": 1, "pk": lower_pk}
    lower.delete()
    assert [event.pk for event in cursor.read()] == [higher.pk]

    # when the lower id becomes visible
    OutboxEvent.objects.create(**lower_values)

    # then the next read gets it, and no read after gets either again
    assert [event.pk for event in cursor.read()] == [lower_pk]
    assert cursor.read() == []
