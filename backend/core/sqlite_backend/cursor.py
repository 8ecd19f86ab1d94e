"""Django's SQLite cursor with its placeholder conversion remembered per statement text.

Django writes SQL with "%s" placeholders and its SQLite cursor rewrites each statement to "?" with a
regular expression on every execute (~10 µs for a step's typical statement, a dozen statements a step).
The same texts come back all the time (prepared reads and writes reuse one string; the ORM builds the
same text for the same query shape), so the rewritten text is kept per text. Named ("pyformat")
parameters are converted as Django converts them.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.backends.sqlite3 import base


@lru_cache(maxsize=2048)
def qmark_style(query: str) -> str:
    """Django's "format" to "qmark" conversion (SQLiteCursorWrapper.convert_query), remembered."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return qmark_style(query)
        return super().convert_query(query, param_names=param_names)
