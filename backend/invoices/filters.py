"""Filters of the invoice list and the archive (the same filters for both)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.contracts.models import Currency
from backend.core.filters import DateInputFilter, DateRangeFilterSet, IdFilter, OrderingFilter
from backend.invoices.models import InvoiceStatus
from backend.invoices.selectors import status_condition


class InvoiceFilter(DateRangeFilterSet):
    date_ranges = (("issue_date_from", "issue_date_to"), ("due_date_from", "due_date_to"))
    number = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", label=_("Number contains")
    )
    issue_date_from = DateInputFilter(field_name="issue_date", lookup_expr="gte", label=_("Issued from"))
    issue_date_to = DateInputFilter(field_name="issue_date", lookup_expr="lte", label=_("Issued until"))
    due_date_from = DateInputFilter(field_name="due_date", lookup_expr="gte", label=_("Due from"))
    due_date_to = DateInputFilter(field_name="due_date", lookup_expr="lte", label=_("Due until"))
    status = django_filters.ChoiceFilter(
        choices=InvoiceStatus.choices, method="filter_status", label=_("Status")
    )
    contract = IdFilter(field_name="contract_id", label=_("Contract"))
    currency = django_filters.ChoiceFilter(choices=Currency.choices, label=_("Currency"))
    ordering = OrderingFilter(
        fields=(
            ("issue_date", "issue_date"),
            ("due_date", "due_date"),
            ("number", "number"),
            ("gross_total", "gross_total"),
        ),
        label=_("Sort by"),
        within_currency=("gross_total",),
    )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status_condition(value, today=timezone.localdate()))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        # A chosen sort order still needs a unique tie-breaker for stable pages.
        if self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by(*queryset.query.order_by, "-id")
        return queryset
