"""Request numbers: WN/<year>/<nnnnnn>, one counter row per year, never two requests with one number."""

from __future__ import annotations

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from backend.requests_app.models import RequestNumberSequence


def next_request_number(*, year: int | None = None) -> str:
    """Return the next WN/<year>/<nnnnnn>; the counter row is locked, so concurrent submits never collide."""
    year = year or timezone.localdate().year
    last = _increment_counter(year)
    if last is None:
        # The year's first request: create its counter (a concurrent first submit may win; then count on).
        try:
            with transaction.atomic():
                RequestNumberSequence.objects.create(year=year, last=1)
                return f"WN/{year}/{1:06d}"
        except IntegrityError:
            last = _increment_counter(year)
    return f"WN/{year}/{last:06d}"


def number_year(number: str) -> int:
    """The year a request number counts in (WN/<year>/<nnnnnn>)."""
    return int(number.split("/")[1])


def renumber_for_year(number: str, *, year: int) -> str:
    """A number of `year` for a request numbered `number` in this transaction and dated into another year
    (the demo's back-dated requests). `number` is given back when it is still its year's last (its counter
    row stays locked until commit, so nobody counted on from it): no gap is left in its year."""
    if number_year(number) == year:
        return number
    renumbered = next_request_number(year=year)
    RequestNumberSequence.objects.filter(year=number_year(number), last=int(number.rsplit("/", 1)[1])).update(
        last=models.F("last") - 1
    )
    return renumbered


def _increment_counter(year: int) -> int | None:
    """Add one to the year's counter and read it in one statement (UPDATE … RETURNING: SQLite ≥ 3.35
    and PostgreSQL); None when the year has no counter yet."""
    quote = connection.ops.quote_name
    table, last, year_column = (quote(n) for n in (RequestNumberSequence._meta.db_table, "last", "year"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {year_column} = %s RETURNING {last}",  # noqa: S608
            [year],
        )
        row = cursor.fetchone()
    return row[0] if row else None
