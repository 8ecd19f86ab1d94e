"""Ids in query strings and request bodies: whole numbers in the database's id range, else a 400 (API) or
ignored (pages).

A bare `int(...)` or `str.isdigit()` check is not enough: "abc" or "²" (a digit to isdigit, not to int)
crashed with ValueError, and 2**70 passed through to SQLite, which raised OverflowError; both were 500s.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.core.date_fields import FORM_INPUT_FORMATS, INVALID_DATE
from backend.core.ids import MAX_ID, MIN_ID
from backend.core.language import active_lang
from backend.core.money import format_date


@extend_schema_field(OpenApiTypes.INT64)
class IdFilter(django_filters.Filter):
    """An id filter for django-filter: rejects non-integers and out-of-range values as field errors."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", MIN_ID)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class DateInputFilter(django_filters.DateFilter):
    """A date filter of a list (API and page) that reads 30.11.2026 and 2026-11-30 in every language, as
    DateInputField does; django-filter's DateFilter took the locale's formats (English: ISO only)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("input_formats", FORM_INPUT_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": INVALID_DATE})
        super().__init__(*args, **kwargs)


def _descending(label: str) -> str:
    return str(django_filters.OrderingFilter.descending_fmt) % label


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's, its "… (descending)" labels translated when shown: its own are formatted once, at
    import, in the language active then (Polish labels in the English API schema). The fields named in
    `within_currency` are amounts: they sort by currency code first (as the pages, portal_ui/sorting.py),
    so 2 430,81 EUR and 7 658,16 zł are never compared as numbers."""

    def __init__(self, *args, within_currency: tuple[str, ...] = (), **kwargs) -> None:
        self.within_currency = frozenset(within_currency)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value and any(param.lstrip("-") in self.within_currency for param in value if param):
            return qs.order_by("currency", *qs.query.order_by)
        return qs

    def build_choices(self, fields, labels):
        choices = super().build_choices(fields, labels)
        # Interleaved: each descending choice follows its ascending one.
        return [
            (param, lazy(_descending, str)(choices[index - 1][1]))
            if param.startswith("-")
            else (param, label)
            for index, (param, label) in enumerate(choices)
        ]


def id_field(**kwargs) -> serializers.IntegerField:
    """An id in a DRF serializer (a body field, a list's item): out of the id range is a field error."""
    return serializers.IntegerField(min_value=MIN_ID, max_value=MAX_ID, **kwargs)


def id_query_field(**kwargs) -> serializers.IntegerField:
    """An optional id query parameter for a DRF serializer (blank means "not given")."""
    kwargs.setdefault("required", False)
    return id_field(**kwargs)


def parse_id(raw: object) -> int | None:
    """Return `raw` as an id when it is ASCII digits within the id range, else None (pages ignore it)."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if MIN_ID <= value <= MAX_ID else None


class DateRangeFilterSet(django_filters.FilterSet):
    """A filter set whose (from, to) date pairs must not be inverted.

    An inverted range used to match nothing, so the user saw an empty list and no reason. Now the "to"
    field gets an error: the API answers 400 in the error shape (DjangoFilterBackend raises it), the
    page shows the message at the field and filters by the rest.

    Its form class is built once per filter set class, not for every request (django-filter makes a new
    form class, with a form field per filter, each time: about 0.4 ms of a list request). That holds while
    the filters are the class's own and none reads the request (a ModelChoiceFilter's queryset may):
    otherwise the form class is built per request as before. A subclass whose filters change per request
    in another way must override `get_form_class`.
    """

    date_ranges: tuple[tuple[str, str], ...] = ()
    # With no query parameter at all, its filters leave the queryset as it is (no defaults, none
    # required): PortalFilterBackend then skips building the filter set. A subclass that filters or
    # orders by default must set this to False (tests/core check every subclass that keeps it).
    filters_nothing_without_query = True

    def get_form_class(self):
        cls = type(self)
        cached = cls.__dict__.get("_cached_form_class")
        if cached is not None:
            return cached
        form_class = self._build_form_class()
        if self._form_is_per_class():
            cls._cached_form_class = form_class  # on this class only: a subclass builds its own
        return form_class

    def _form_is_per_class(self) -> bool:
        base = type(self).base_filters
        return list(self.filters) == list(base) and not any(
            isinstance(filter_, QuerySetRequestMixin) for filter_ in self.filters.values()
        )

    def _build_form_class(self):
        base = super().get_form_class()
        ranges = self.date_ranges

        def clean(form):
            cleaned = base.clean(form)
            for start, end in ranges:
                first, last = cleaned.get(start), cleaned.get(end)
                if first and last and first > last:
                    form.add_error(
                        end,
                        _("The date range is inverted: this date is before the start date (%(start)s).")
                        % {"start": format_date(first, lang=active_lang())},
                    )
            return cleaned

        return type(base.__name__, (base,), {"clean": clean})


class PortalFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, minus the filter set of a list read with no filter in its query string.

    The first page of a list, or any page of it unfiltered, asks for nothing to be filtered; building
    and validating the filter set (a deep copy of its filters and its form fields) only to get the same
    queryset back cost ~0.3 ms a request. Skipped only for filter sets that say so
    (`filters_nothing_without_query`) and only when the query holds no parameter but the pagination's.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if getattr(filterset_class, "filters_nothing_without_query", False) and _only_paging(request, view):
            return queryset
        return super().filter_queryset(request, queryset, view)


def _only_paging(request, view) -> bool:
    paginator = getattr(view, "paginator", None)
    paging = {
        getattr(paginator, "page_query_param", None),
        getattr(paginator, "page_size_query_param", None),
    }
    return all(name in paging for name in request.query_params)
