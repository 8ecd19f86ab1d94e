"""Filters of the client's document list (Dokumenty)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from backend.core.filters import DateInputFilter, DateRangeFilterSet, IdFilter
from backend.documents.models import Document


class DocumentFilter(DateRangeFilterSet):
    date_ranges = (("date_from", "date_to"),)
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices, label=_("Kind"))
    contract = IdFilter(field_name="contract_id", label=_("Contract"))
    date_from = DateInputFilter(field_name="issued_on", lookup_expr="gte", label=_("Date from"))
    date_to = DateInputFilter(field_name="issued_on", lookup_expr="lte", label=_("Date until"))
    title = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title contains"))
