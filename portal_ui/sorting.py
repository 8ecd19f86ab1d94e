"""Sortable list pages: `?sort=key` or `?sort=-key`, checked against the list's own whitelist.

A view names the columns it lets users sort by and the key its selector's default order corresponds to:

    queryset, sort = sort_list(request, queryset, columns=INVOICE_SORTS, default="-issue_date")

An unknown key is ignored and the selector's order is kept. A chosen order always ends with the primary
key, so equal values never swap between pages. Text columns sort as people read them, whatever the case
and accents (backend/core/text_order.py). An amount sorts within its currency (`within_currency`):
33 616,85 EUR and 158 068,38 zł are never compared as numbers. Ordering only adds ORDER BY (and a join
already made by `select_related`), never a query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Expression, F, QuerySet, TextField
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, QueryDict

from backend.core.text_order import FoldedText

SORT_PARAM = "sort"


@dataclass(frozen=True)
class Ascending:
    """A field a column orders by ascending in both directions (only the fields after it turn round)."""

    field: str


# A sortable column: the fields (or expressions) to order by, first to last, in its ascending order.
SortFields = Sequence[str | Expression | Ascending]


def within_currency(amount: str | Expression) -> list[str | Expression | Ascending]:
    """An amount column's order: by currency code first, in the order of the lists' per-currency totals
    (backend/invoices/list_exports.py: alphabetical), then by the amount either way."""
    return [Ascending("currency"), amount]


@dataclass(frozen=True)
class Sort:
    """The order a list is shown in, and what its header links need."""

    key: str  # the active column's key
    descending: bool
    keep: QueryDict  # the other parameters (filters), without the sort and the page
    chosen: bool = False  # asked for by `?sort=` (not the list's default): the filter form sends it on

    @property
    def param(self) -> str:
        """The `?sort=` value of this order ("-issue_date")."""
        return f"-{self.key}" if self.descending else self.key

    def link(self, key: str) -> str:
        """Return the query string that sorts by `key`: ascending first, the other way when it is active."""
        params = self.keep.copy()
        params[SORT_PARAM] = key if key != self.key or self.descending else f"-{key}"
        return params.urlencode()

    def direction(self, key: str) -> str:
        """Return the aria-sort value of the column: "ascending", "descending" or "" (not sorted by it)."""
        if key != self.key:
            return ""
        return "descending" if self.descending else "ascending"


@cache  # a list's columns are fixed in code: each (model, path) is resolved once per process
def _is_text(model, path: str) -> bool:
    """Whether `path` ("subject", "client__name") names a text column of the model (not an annotation)."""
    try:
        *relations, name = path.split(LOOKUP_SEP)
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return isinstance(model._meta.get_field(name), CharField | TextField)
    except (AttributeError, FieldDoesNotExist):
        return False


def _ordered(field: str | Expression | Ascending, *, descending: bool, model):
    if isinstance(field, Ascending):
        return _ordered(field.field, descending=False, model=model)
    expression = F(field) if isinstance(field, str) else field
    if isinstance(field, str) and _is_text(model, field):
        # Words in reading order: "flota" before "Zmiana", "Śląsk" beside "Sopot" (core/text_order.py).
        expression = FoldedText(expression)
    # Empty values last either way, on SQLite and PostgreSQL alike.
    return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)


def sort_list(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    columns: Mapping[str, SortFields],
    default: str,
    params: QueryDict | None = None,
) -> tuple[QuerySet, Sort]:
    """Return the queryset in the order asked by `?sort=`, or unchanged, and the order shown; `params`
    instead of the request's query: a list's remembered query (the task page's "next task")."""
    keep = (request.GET if params is None else params).copy()
    keep.pop("page", None)
    requested = keep.pop(SORT_PARAM, [""])[-1]
    descending = requested.startswith("-")
    key = requested.removeprefix("-")
    if key not in columns:
        return queryset, Sort(key=default.removeprefix("-"), descending=default.startswith("-"), keep=keep)
    order = [_ordered(field, descending=descending, model=queryset.model) for field in columns[key]]
    order.append("-pk" if descending else "pk")
    return queryset.order_by(*order), Sort(key=key, descending=descending, keep=keep, chosen=True)
