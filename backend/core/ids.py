"""Ids: the database's id range, and the `<id:…>` path converter that keeps URLs inside it.

Django's `<int:…>` matches any run of digits: an id of 2**70 reached SQLite as an OverflowError
(PostgreSQL: a "value out of range" error), a 500. Such a URL now matches no path, like any other id
that names nothing: 404 in the API's error shape, the not-found page for pages.
"""

from __future__ import annotations

# Every id column is a 64-bit integer (BigAutoField); anything outside can never match a row.
MIN_ID = 1
MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:…>`: a whole number in the id range, or this path does not match."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not MIN_ID <= number <= MAX_ID:
            raise ValueError(f"{value} is outside the id range")  # Django: this path does not match
        return number

    def to_url(self, value: int) -> str:
        return str(value)
