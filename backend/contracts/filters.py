"""Filters of the client's contract list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from backend.contracts.models import Contract, Currency
from backend.core.filters import DateInputFilter, DateRangeFilterSet, OrderingFilter


class ContractFilter(DateRangeFilterSet):
    date_ranges = (("start_date_from", "start_date_to"), ("end_date_from", "end_date_to"))
    number = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", label=_("Number contains")
    )
    type = django_filters.ChoiceFilter(choices=Contract.Type.choices, label=_("Type"))
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices, label=_("Status"))
    currency = django_filters.ChoiceFilter(choices=Currency.choices, label=_("Currency"))
    start_date_from = DateInputFilter(field_name="start_date", lookup_expr="gte", label=_("Starts from"))
    start_date_to = DateInputFilter(field_name="start_date", lookup_expr="lte", label=_("Starts until"))
    end_date_from = DateInputFilter(field_name="end_date", lookup_expr="gte", label=_("Ends from"))
    end_date_to = DateInputFilter(field_name="end_date", lookup_expr="lte", label=_("Ends until"))
    ordering = OrderingFilter(
        fields=(
            ("start_date", "start_date"),
            ("end_date", "end_date"),
            ("number", "number"),
            ("net_value", "net_value"),
        ),
        label=_("Sort by"),
        within_currency=("net_value",),
    )
