"""Search keys of printed numbers (contract, invoice and serial numbers): what customer service types.

A key is the number without its separators, upper-case and reversed: "LF/2025/004242" → "2424005202FL".
The database computes it (a stored generated column: no writer, bulk insert or admin edit can leave it
stale) and indexes it, so "the number ends with what was typed" is a prefix of the key: an index range
on SQLite and PostgreSQL alike, instead of reading every row (1 M invoices). Ends-with is what a caller
reads out: the whole number, the number without its letters ("2025/004242"), its last digits ("004242"),
the last characters of a VIN.

Reversing keeps one ordinary index per column. SQLite has no REVERSE of its own: Django registers one
(deterministic) on each of its connections, which computes the column there; so a connection outside
Django (the sqlite3 shell) reads these tables but cannot write them.
"""

from __future__ import annotations

import re

from django.db.models import CharField, Expression, F, GeneratedField, Index, Lookup, TextField, Value
from django.db.models.functions import Replace, Reverse, Upper

# What people type between the parts of a number, and the portal stores in some of them.
SEPARATORS = " /-."
KEY_LENGTH = 64
# A typed key worth an index range: letters and digits only (no LIKE/GLOB wildcard to escape).
_KEY_CHARACTERS = re.compile(r"[0-9A-Z]+")


def without_separators(column: str, separators: str = SEPARATORS) -> Expression:
    """The column's text without the separators (SQL REPLACE: the same on SQLite and PostgreSQL)."""
    expression: Expression = F(column)
    for separator in separators:
        expression = Replace(expression, Value(separator), Value(""), output_field=TextField())
    return expression


def compact(text: str, separators: str = SEPARATORS) -> str:
    """The typed text without the separators, as `without_separators` reads a column."""
    return "".join(char for char in text if char not in separators)


def number_key_expression(column: str) -> Expression:
    """The SQL of a key: REVERSE(UPPER(the column without separators))."""
    return Reverse(Upper(without_separators(column)))


def stored_key_field(expression: Expression, *, max_length: int) -> GeneratedField:
    """A search key the database computes from `expression` and stores (indexed by `key_index` in the
    model's Meta): number, phone and e-mail keys alike."""
    return GeneratedField(
        expression=expression,
        output_field=CharField(max_length=max_length),
        db_persist=True,
        editable=False,
    )


def number_key_field(column: str) -> GeneratedField:
    """The stored, database-computed key of `column`."""
    return stored_key_field(number_key_expression(column), max_length=KEY_LENGTH)


def key_index(field: str, *, name: str) -> Index:
    """The index of a key column; PostgreSQL's LIKE 'prefix%' needs its pattern operator class whatever the
    database's collation (other databases ignore the operator class)."""
    return Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


def typed_number_key(text: str) -> str:
    """The key of what was typed ("lf 2025 004242" → "2424005202FL"), or "" when it is no number."""
    typed = compact(text).upper()
    return typed[::-1] if _KEY_CHARACTERS.fullmatch(typed) else ""


class TextStartsWith(Lookup):
    """The column starts with a text (any characters, escaped), through the column's index.

    PostgreSQL: LIKE 'text%' (backslash, its default escape, before % _ and itself) over a varchar_pattern_ops
    index. SQLite: GLOB 'text*' ([*] [?] [[] for its wildcards), because the portal replaces SQLite's LIKE with
    a Python function (core.text_search), which no index can serve; GLOB compares as stored, so the column
    is a key in one case and the text is put in that case by the caller.
    """

    lookup_name = "text_startswith"
    prepare_rhs = False

    def prefix(self) -> str:
        return self.rhs

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        escaped = "".join("\\" + char if char in "\\%_" else char for char in self.prefix())
        return f"{lhs} LIKE %s", [*lhs_params, escaped + "%"]

    def as_sqlite(self, compiler, connection) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        escaped = "".join(f"[{char}]" if char in "*?[" else char for char in self.prefix())
        return f"{lhs} GLOB %s", [*lhs_params, escaped + "*"]


class KeyStartsWith(TextStartsWith):
    """The key column starts with a typed key, which has letters and digits only (so nothing to escape)."""

    lookup_name = "key_startswith"

    def prefix(self) -> str:
        if not _KEY_CHARACTERS.fullmatch(self.rhs):
            raise ValueError("a key to search has letters and digits only")
        return self.rhs


# Phone numbers: the separators people write them with ("+48 (22) 333-44-55"); the key is the digits reversed,
# so "ends with what was typed" is a prefix again: "+48…", "0048…" and the bare nine digits find each other.
PHONE_SEPARATORS = " -()+./"
PHONE_KEY_LENGTH = 32


def phone_key_field(column: str) -> GeneratedField:
    """The stored, database-computed key of a phone column: REVERSE(the column without PHONE_SEPARATORS)."""
    return stored_key_field(
        Reverse(without_separators(column, PHONE_SEPARATORS)), max_length=PHONE_KEY_LENGTH
    )


def typed_phone_key(digits: str) -> str:
    """The key of typed phone digits (their end comes first), for KeyStartsWith over a phone key."""
    return digits[::-1]
