"""The writes of every workflow step (history rows, outbox rows, the instance and request updates), with
their SQL text built once per database connection and shape.

`Model.objects.create()` or `QuerySet.update()` builds and compiles a query for every row: ~120 µs of CPU
for a history row whose INSERT costs SQLite ~15 µs. These functions take the same values through the
same field methods Django's compilers call (`pre_save`, `get_db_prep_save`), so a row is stored exactly
as the ORM stores it; only the SQL text is reused. There are no save signals here, as with
`bulk_create` and `update` (the portal connects none: its writes are explicit services).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.constants import OnConflict

M = TypeVar("M", bound=Model)

# Rows of one INSERT: a dozen values a row stays far below SQLite's (32,766) and PostgreSQL's (65,535) limits
# on a statement's parameters however many rows a caller hands over (a welcome e-mail to a large company).
ROWS_PER_STATEMENT = 500


def _statements(connection) -> dict:
    return connection.__dict__.setdefault("_prepared_writes", {})


def insert_rows(
    rows: Sequence[M], using: str = DEFAULT_DB_ALIAS, *, ignore_conflicts: bool = False
) -> list[M]:
    """INSERT new instances of one model in one statement (one per ROWS_PER_STATEMENT rows); each gets its
    primary key, as after save().

    With `ignore_conflicts`, a row a constraint refuses is skipped, as `bulk_create(ignore_conflicts=True)`
    does (INSERT OR IGNORE / ON CONFLICT DO NOTHING), and, as there, no row gets its primary key.
    """
    if len(rows) > ROWS_PER_STATEMENT:
        return [
            row
            for first in range(0, len(rows), ROWS_PER_STATEMENT)
            for row in insert_rows(
                rows[first : first + ROWS_PER_STATEMENT], using, ignore_conflicts=ignore_conflicts
            )
        ]
    if not rows:
        return []
    model = type(rows[0])
    connection = connections[using]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.db_returning)]
    if any(f.generated or f.has_db_default() for f in fields):
        raise NotImplementedError("insert_rows writes every column: no database defaults or generated fields")
    pk = meta.pk
    key = ("insert", model, len(rows), ignore_conflicts)
    sql = _statements(connection).get(key)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        values = ", ".join([one_row] * len(rows))
        if ignore_conflicts:
            insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
            suffix = connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
            sql = f"{insert} {quote(meta.db_table)} ({columns}) VALUES {values} {suffix}".rstrip()
        else:
            if not connection.features.can_return_rows_from_bulk_insert:
                raise NotImplementedError("insert_rows needs INSERT … RETURNING (SQLite ≥ 3.35, PostgreSQL)")
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} RETURNING {quote(pk.column)}"  # noqa: S608
            )
        _statements(connection)[key] = sql
    params: list[Any] = []
    for row in rows:
        if type(row) is not model:
            raise TypeError("insert_rows writes rows of one model at a time")
        params += [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if ignore_conflicts:  # no RETURNING: a skipped row has no key, so none gets one
            return list(rows)
        returned = cursor.fetchall()
    # RETURNING gives the rows in VALUES order on SQLite and PostgreSQL (Django's bulk_create relies on it).
    for row, (pk_value,) in zip(rows, returned, strict=True):
        setattr(row, pk.attname, pk_value)
        row._state.adding, row._state.db = False, using
    return list(rows)


def update_row(
    model: type[Model], *, where: Mapping[str, Any], values: Mapping[str, Any], using: str = DEFAULT_DB_ALIAS
) -> int:
    """UPDATE the columns `values` (attname → value) of the row(s) matching `where` (attname → value,
    equality); return how many rows changed, as QuerySet.update() does."""
    if any(value is None for value in where.values()):
        raise ValueError("update_row matches by equality: None would match no row")
    connection = connections[using]
    meta = model._meta
    set_fields = [meta.get_field(name) for name in values]
    where_fields = [meta.get_field(name) for name in where]
    key = ("update", model, tuple(values), tuple(where))
    sql = _statements(connection).get(key)
    if sql is None:
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in set_fields)
        conditions = " AND ".join(f"{quote(f.column)} = %s" for f in where_fields)
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {conditions}"  # noqa: S608
        _statements(connection)[key] = sql
    params = [
        f.get_db_prep_save(value, connection) for f, value in zip(set_fields, values.values(), strict=True)
    ]
    params += [
        f.get_db_prep_value(value, connection) for f, value in zip(where_fields, where.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
