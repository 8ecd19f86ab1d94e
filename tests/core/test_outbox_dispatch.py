"""The outbox hands each committed transaction's event ids to its listeners once, together."""

from __future__ import annotations

import pytest
from django.db import transaction

from backend.core import services
from backend.core.models import OutboxEvent
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard(monkeypatch) -> list[list[int]]:
    """Replace the registered listeners with one that records what it is given."""
    calls: list[list[int]] = []
    monkeypatch.setattr(services, "_outbox_listeners", [calls.append])
    return calls


def record(client) -> int:
    return services.record_outbox_event(
        kind=OutboxEvent.Kind.REQUEST_SUBMITTED, subject=client, client_id=client.pk
    ).pk


def test_events_of_one_transaction_reach_the_listeners_once_after_commit(heard):
    client = ClientFactory()
    with transaction.atomic():
        ids = [record(client), record(client), record(client)]
        assert heard == []  # nothing before the commit
    assert heard == [ids]


def test_each_transaction_is_its_own_batch(heard):
    client = ClientFactory()
    with transaction.atomic():
        first = record(client)
    with transaction.atomic():
        second = record(client)
    assert heard == [[first], [second]]


def test_a_rolled_back_transaction_sends_nothing_and_leaves_no_stale_ids(heard):
    client = ClientFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(client)
        raise RuntimeError("step failed")
    assert heard == []
    with transaction.atomic():
        kept = record(client)
    assert heard == [[kept]]


def test_an_event_after_a_rolled_back_savepoint_is_still_sent(heard):
    client = ClientFactory()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            record(client)  # the batch is registered inside the savepoint...
            raise RuntimeError("inner part failed")
        kept = record(client)  # ...and dropped with it: this one starts a new batch
    assert heard == [[kept]]


def test_an_event_of_a_rolled_back_savepoint_leaves_the_batch_it_joined(heard):
    client = ClientFactory()
    with transaction.atomic():
        before = record(client)  # the transaction's batch is registered here...
        with pytest.raises(RuntimeError), transaction.atomic():
            record(client)  # ...this row is written in a savepoint that rolls back
            raise RuntimeError("inner part failed")
        after = record(client)  # on SQLite this row may take the rolled-back row's id
    sent = [event_id for batch in heard for event_id in batch]
    assert sorted(sent) == sorted([before, after])  # each committed row once, no id of the lost one
    assert OutboxEvent.objects.filter(pk__in=sent).count() == 2


def test_outside_a_transaction_each_event_is_sent_at_once(heard):
    client = ClientFactory()
    first = record(client)
    second = record(client)
    assert heard == [[first], [second]]
