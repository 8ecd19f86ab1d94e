"""Filters of the client's correspondence and of the staff inbox."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from backend.core.filters import IdFilter
from backend.messaging.models import MessageThread


class ClientThreadFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MessageThread.Status.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(choices=MessageThread.Category.choices, label=_("Category"))
    contract = IdFilter(field_name="contract_id", label=_("Contract"))


class StaffInboxFilter(ClientThreadFilter):
    client = IdFilter(field_name="client_id", label=_("Client"))
    client_name = django_filters.CharFilter(
        field_name="client__name", lookup_expr="icontains", label=_("Client name")
    )
    date_from = django_filters.DateFilter(
        field_name="last_message_at", lookup_expr="date__gte", label=_("Last message from")
    )
    date_to = django_filters.DateFilter(
        field_name="last_message_at", lookup_expr="date__lte", label=_("Last message until")
    )
