"""Reads run on every request or step, with their SQL built once per database connection.

Each request loads its user and (for a client user) its membership; each step locks its request and
its process instance. Building and compiling a QuerySet for such a read costs about seven times the
statement itself (`User.objects.get(pk=…)`: ~190 µs of CPU against ~25 µs for the same SELECT and
`Model.from_db`). A `PreparedRead` is written as an ordinary QuerySet; the first call on a connection
compiles it with sample values in place of its arguments, and every later call runs the same SQL with
the caller's values and builds the instances the way Django's own ModelIterable does (converters,
select_related, annotations). Nothing is cached but the SQL text: every call reads the database.

A read written with values_list() gives its rows as tuples (`rows()`), converted as the ORM converts them:
for reads of many rows where an instance per row would cost more than the statement.

Arguments are ints, strings, dates or aware date-times (compared as parameters, never formatted into the
SQL; dates and date-times are adapted for the database as the ORM adapts them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

# Sample values no real argument takes: each marks where its argument goes among the statement's params.
_samples = count(start=-7_000_000_001, step=-1)
_keys = count()
_SAMPLE_MOMENT = datetime(1901, 1, 1, tzinfo=UTC)
_SAMPLE_DAY = date(1901, 1, 1)
Argument = int | str | date | datetime


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[tuple[str, Any], ...]  # ("arg", name) or ("const", value), in the statement's order
    for_update: bool
    compiler: Any
    converters: dict
    col_count: int
    values: bool  # a values_list() read: rows(), not instances
    init_list: tuple[str, ...] = ()
    model_slice: slice | None = None
    populators: tuple = ()


class PreparedRead(Generic[M]):
    """A QuerySet of one shape, compiled once per connection, run with new arguments."""

    def __init__(
        self,
        build: Callable[..., QuerySet[M]],
        *,
        ints: tuple[str, ...] = (),
        strs: tuple[str, ...] = (),
        dates: tuple[str, ...] = (),
        datetimes: tuple[str, ...] = (),
    ):
        self._build = build
        self._ints, self._strs, self._dates, self._datetimes = ints, strs, dates, datetimes
        # A key of its own, never reused (an id() is reused once a read made at run time is collected,
        # and a pooled connection would then hand it another read's SQL).
        self._key = f"prepared_read_{next(_keys)}"

    def first(self, using: str = DEFAULT_DB_ALIAS, **arguments: Argument) -> M | None:
        """The first row's instance in the QuerySet's own order (give it one, and a [:1] slice)."""
        found = self.all(using, **arguments)
        return found[0] if found else None

    def all(self, using: str = DEFAULT_DB_ALIAS, **arguments: Argument) -> list[M]:
        compiled, rows = self._run(using, arguments, values=False)
        return self._instances(compiled, rows, using)

    def rows(self, using: str = DEFAULT_DB_ALIAS, **arguments: Argument) -> list[tuple]:
        """The rows of a values_list() read, each value converted as the ORM converts it."""
        compiled, rows = self._run(using, arguments, values=True)
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return [tuple(row) for row in rows]

    def _run(self, using: str, arguments: dict, *, values: bool) -> tuple[_Compiled, list[tuple]]:
        connection = connections[using]
        compiled = self._compiled(connection, using)
        if compiled.values != values:
            raise TypeError("rows() reads a values_list() QuerySet; first() and all() read model instances.")
        if compiled.for_update and connection.get_autocommit():
            # As Django's own check: a lock outside a transaction would be released at once.
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        for name in self._dates:
            arguments[name] = _adapted_day(connection, arguments[name])
        for name in self._datetimes:
            arguments[name] = _adapted_moment(connection, arguments[name])
        params = [arguments[value] if kind == "arg" else value for kind, value in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return compiled, cursor.fetchall()

    def _compiled(self, connection, using: str) -> _Compiled:
        cached = connection.__dict__.get(self._key)
        if cached is not None:
            return cached
        samples: dict[str, int | str] = {name: next(_samples) for name in self._ints}
        samples |= {name: f"\x00prepared:{name}:{next(_samples)}\x00" for name in self._strs}
        days = {name: _SAMPLE_DAY + timedelta(days=-next(_samples) % 30_000) for name in self._dates}
        moments = {name: _SAMPLE_MOMENT + timedelta(seconds=-next(_samples)) for name in self._datetimes}
        queryset = self._build(**samples, **days, **moments)
        query = queryset.query
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise TypeError("A PreparedRead reads rows or instances: no prefetch or known objects.")
        values = bool(queryset._fields)
        if values and (
            queryset._iterable_class is not ValuesListIterable
            or query.extra_select
            or query.annotation_select
        ):
            raise TypeError(
                "A PreparedRead reads values_list() of plain columns: no values(), flat, extra()."
            )
        compiler = query.get_compiler(using=using)
        sql, raw_params = compiler.as_sql()
        # Dates and date-times reach the params as the database adapter wrote them (strings on SQLite).
        samples |= {name: _adapted_day(connection, day) for name, day in days.items()}
        samples |= {name: _adapted_moment(connection, moment) for name, moment in moments.items()}
        by_sample = {value: name for name, value in samples.items()}
        params = tuple(("arg", by_sample[p]) if p in by_sample else ("const", p) for p in raw_params)
        missing = set(samples) - {value for kind, value in params if kind == "arg"}
        if missing:
            raise TypeError(f"The arguments {sorted(missing)} do not reach the SQL as parameters.")
        select = compiler.select
        compiled = _Compiled(
            sql=sql,
            params=params,
            for_update=bool(query.select_for_update) and connection.features.has_select_for_update,
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
            col_count=compiler.col_count,
            values=values,
        )
        if not values:
            fields = compiler.klass_info["select_fields"]
            model_slice = slice(fields[0], fields[-1] + 1)
            compiled = replace(
                compiled,
                init_list=tuple(column[0].target.attname for column in select[model_slice]),
                model_slice=model_slice,
                populators=tuple(get_related_populators(compiler.klass_info, select, using)),
            )
        connection.__dict__[self._key] = compiled
        return compiled

    @staticmethod
    def _instances(compiled: _Compiled, rows: list[tuple], using: str) -> list[M]:
        compiler = compiled.compiler
        if compiled.converters:
            rows = compiler.apply_converters([row[: compiled.col_count] for row in rows], compiled.converters)
        model = compiler.klass_info["model"]
        annotations = compiler.annotation_col_map
        found = []
        for row in rows:
            obj = model.from_db(using, compiled.init_list, row[compiled.model_slice])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in (annotations or {}).items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def _adapted_day(connection, day: date):
    """A date as the ORM hands it to the database (DateField.get_db_prep_value)."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise TypeError(f"A PreparedRead date argument must be a date, not {day!r}.")
    return connection.ops.adapt_datefield_value(day)


def _adapted_moment(connection, moment: datetime):
    """An aware date-time as the ORM hands it to the database (DateTimeField.get_db_prep_value)."""
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise TypeError(f"A PreparedRead date-time argument must be aware, not {moment!r}.")
    return connection.ops.adapt_datetimefield_value(moment)
