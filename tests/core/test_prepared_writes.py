"""insert_rows / update_row: the rows the ORM would store, with the SQL text built once per shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.core.models import OutboxEvent
from backend.core.prepared_writes import insert_rows, update_row
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db


def stored(instance) -> dict:
    fresh = type(instance).objects.get(pk=instance.pk)
    return {
        f.attname: getattr(fresh, f.attname)
        for f in type(instance)._meta.concrete_fields
        if f.attname != "id"
    }


def test_a_row_is_stored_as_the_orm_stores_it(acme):
    # given: JSON with text beyond ASCII and nested values, a foreign key, an auto_now_add time
    payload = {"request_id": 7, "number": "WN/2026/000007", "stage": "staff_review", "ąę": ["ł", 1.5, None]}
    fields = {
        "kind": OutboxEvent.Kind.REQUEST_STAGE_CHANGED,
        "client": acme,
        "subject_type": "x.y",
        "subject_id": 7,
    }

    # when
    before = timezone.now()
    (prepared,) = insert_rows([OutboxEvent(payload=payload, **fields)])
    by_orm = OutboxEvent.objects.create(payload=payload, **fields)

    # then
    assert prepared.pk is not None and prepared.pk != by_orm.pk
    assert prepared._state.adding is False and prepared._state.db == "default"
    assert {**stored(prepared), "created_at": None} == {**stored(by_orm), "created_at": None}
    assert stored(prepared)["payload"] == payload
    assert before <= stored(prepared)["created_at"] <= timezone.now()


def test_several_rows_get_their_keys_in_order_and_another_shape_works_too(acme):
    # when: three rows in one statement, then one
    rows = insert_rows(
        [
            OutboxEvent(kind="k", client=acme, subject_type="t", subject_id=i, payload={"i": i})
            for i in range(3)
        ]
    )
    (single,) = insert_rows([OutboxEvent(kind="k", client=None, subject_type="t", subject_id=9, payload={})])

    # then
    assert [OutboxEvent.objects.get(pk=row.pk).subject_id for row in rows] == [0, 1, 2]
    assert OutboxEvent.objects.get(pk=single.pk).client_id is None


def test_more_rows_than_a_statement_holds_go_in_several_statements_with_their_keys_in_order(
    acme, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backend.core import prepared_writes

    monkeypatch.setattr(prepared_writes, "ROWS_PER_STATEMENT", 2)
    events = [
        OutboxEvent(kind="k", client=acme, subject_type="t", subject_id=i, payload={}) for i in range(5)
    ]

    with CaptureQueriesContext(connection) as queries:
        rows = insert_rows(events)

    assert [q["sql"].startswith("INSERT") for q in queries.captured_queries] == [True] * 3  # 2 + 2 + 1
    assert rows == events
    assert [OutboxEvent.objects.get(pk=row.pk).subject_id for row in rows] == [0, 1, 2, 3, 4]


def test_rows_of_two_models_in_one_call_are_refused(acme):
    with pytest.raises(TypeError):
        insert_rows(
            [
                OutboxEvent(kind="k", client=acme, subject_type="t", subject_id=1, payload={}),
                ProcessInstance(),
            ]
        )


def test_rows_a_constraint_refuses_are_skipped_when_conflicts_are_ignored(acme, client_user):
    # given: a notice that exists, as a redelivered task meets it
    from notifications.models import Notice

    event = OutboxEvent.objects.create(kind="k", client=acme, subject_type="t", subject_id=1, payload={})
    other = OutboxEvent.objects.create(kind="k", client=acme, subject_type="t", subject_id=2, payload={})
    first = Notice.objects.create(recipient=client_user, event=event, kind="k", payload={"a": 1})

    # when: the same notice again, beside a new one, in one statement
    rows = insert_rows(
        [
            Notice(recipient=client_user, event=event, kind="k", payload={"a": 2}),
            Notice(recipient=client_user, event=other, kind="k", payload={"b": "ż"}),
        ],
        ignore_conflicts=True,
    )

    # then: the existing row is untouched, the new one stored as the ORM stores it; no keys, as bulk_create
    assert [row.pk for row in rows] == [None, None]
    assert Notice.objects.get(pk=first.pk).payload == {"a": 1}
    stored_new = Notice.objects.get(event=other, recipient=client_user)
    assert stored_new.payload == {"b": "ż"} and stored_new.created_at is not None
    assert Notice.objects.count() == 2


def test_update_row_writes_the_values_where_the_row_matches(acme):
    # given
    (row,) = insert_rows([OutboxEvent(kind="k", client=acme, subject_type="t", subject_id=1, payload={})])
    when = timezone.now() - timedelta(hours=1)

    # when
    changed = update_row(
        OutboxEvent,
        where={"id": row.pk, "subject_id": 1},
        values={"payload": {"a": [1]}, "notified_at": when},
    )
    missed = update_row(OutboxEvent, where={"id": row.pk, "subject_id": 2}, values={"payload": {"b": 2}})

    # then
    assert (changed, missed) == (1, 0)
    fresh = OutboxEvent.objects.get(pk=row.pk)
    assert (fresh.payload, fresh.notified_at) == ({"a": [1]}, when)


def test_update_row_refuses_none_in_its_condition():
    with pytest.raises(ValueError):
        update_row(OutboxEvent, where={"id": None}, values={"payload": {}})
