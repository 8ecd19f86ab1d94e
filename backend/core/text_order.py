"""Text columns in the order people read them: case ignored, accented letters beside their base letter.

Ordering by a raw column put "Zmiana…" before "flota…" on SQLite (byte order: capitals first) and
"Śląsk" or "Żuraw" after every "Z". `FoldedText(column)` is the sort key every list sorts text by
(portal_ui/sorting.py): on PostgreSQL LOWER(column) in the database's collation; on SQLite, whose LOWER
folds ASCII only, `portal_fold`, registered on each connection (`register_sqlite_functions`), which
casefolds and puts "ą" after every "a…" and before "b" (likewise ć, ę, ł, ń, ó, ś, ź, ż and other
accented letters).
"""

from __future__ import annotations

import unicodedata

from django.db.models import CharField, Func

SQLITE_FUNCTION = "portal_fold"
# Sorts after every letter: "a" + AFTER_BASE + "ą" comes after "az…" and before "b".
AFTER_BASE = "\uffff"
# Letters that carry their mark inside (no Unicode decomposition) and the letter they sort beside.
_BASE_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t"}


def fold(text: str | None) -> str | None:
    """The SQLite sort key of a text (None stays None, so empty values keep their NULLS LAST place)."""
    if text is None:
        return None
    key = []
    for char in text.casefold():
        base = _BASE_LETTERS.get(char) or unicodedata.normalize("NFD", char)[0]
        key.append(char if base == char else base + AFTER_BASE + char)
    return "".join(key)


class FoldedText(Func):
    """The sort key of a text column or expression (see the module)."""

    function = "LOWER"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: give every SQLite connection `portal_fold`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)
