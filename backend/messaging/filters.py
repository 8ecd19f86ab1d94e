"""Filters of the client's correspondence and of the staff inbox."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from backend.clients.selectors import client_search
from backend.core.filters import MAX_ID, DateInputFilter, DateRangeFilterSet, IdFilter
from backend.core.text_search import contains_text
from backend.messaging.models import Message, MessageThread


class ClientThreadFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MessageThread.Status.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(choices=MessageThread.Category.choices, label=_("Category"))
    contract = IdFilter(field_name="contract_id", label=_("Contract"))


class Queue:
    """The inbox's working views; each has a count on the page that links to it."""

    UNANSWERED = "unanswered"
    AWAITING_FINAL = "awaiting_final"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    CHOICES = [
        (UNANSWERED, _("Unanswered")),
        (AWAITING_FINAL, _("Waiting for the final answer")),
        (MINE, _("Assigned to me")),
        (UNASSIGNED, _("Unassigned")),
    ]


class AssigneeField(forms.CharField):
    """Accept "me", "none" or a user id; anything else is a field error (400 on the API, ignored on pages)."""

    default_validators = [RegexValidator(r"^(me|none|[1-9][0-9]{0,18})$", _("Enter me, none or a user id."))]

    def clean(self, value):
        value = super().clean(value)
        if value and value not in ("me", "none") and int(value) > MAX_ID:
            raise forms.ValidationError(_("Enter me, none or a user id."))
        return value


# Documented as what it takes: the schema read the model's foreign key and said "integer".
@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^(me|none|[1-9][0-9]{0,18})$",
        "description": '"me" (assigned to me), "none" (unassigned) or a user id.',
    }
)
class AssigneeFilter(django_filters.Filter):
    field_class = AssigneeField


# The unanswered queue's order (page and API): the client waiting longest first.
UNANSWERED_ORDER = (F("waiting_since").asc(nulls_last=True), "last_message_at", "id")


def queue_filter(queryset: QuerySet[MessageThread], queue: str, *, user) -> QuerySet[MessageThread]:
    """Narrow the threads to one working view; the page's counts use the same conditions. The unanswered
    ones come longest waiting first (`waiting_since`, annotated by the staff inbox's selector)."""
    queryset = queryset.filter(queue_condition(queue, user=user))
    if queue == Queue.UNANSWERED and "waiting_since" in queryset.query.annotations:
        queryset = queryset.order_by(*UNANSWERED_ORDER)
    return queryset


def queue_condition(queue: str, *, user) -> Q:
    if queue == Queue.UNANSWERED:
        return Q(status=MessageThread.Status.OPEN)
    if queue == Queue.AWAITING_FINAL:
        return Q(status=MessageThread.Status.ANSWERED)
    not_closed = ~Q(status=MessageThread.Status.CLOSED)
    if queue == Queue.MINE:
        return not_closed & Q(assignee_id=getattr(user, "pk", None))
    if queue == Queue.UNASSIGNED:
        return not_closed & Q(assignee__isnull=True)
    return Q()


def text_search(queryset: QuerySet[MessageThread], text: str) -> QuerySet[MessageThread]:
    """Threads whose subject, client (name or NIP, as the task list's search) or any message contains the
    text, ignoring case and, typed without them, Polish letters (EXISTS: one row per thread; internal notes
    are not searched, so the client's words and staff answers only)."""
    text = text.strip()
    if not text:
        return queryset
    in_messages = Message.objects.filter(contains_text("body", text), thread=OuterRef("pk"))
    return queryset.filter(contains_text("subject", text) | client_search(text) | Exists(in_messages))


class StaffInboxFilter(DateRangeFilterSet, ClientThreadFilter):
    # An inverted range is a 400 naming `date_to` (the invoices' rule), not an empty list.
    date_ranges = (("date_from", "date_to"),)
    queue = django_filters.ChoiceFilter(choices=Queue.CHOICES, method="filter_queue", label=_("Working view"))
    assignee = AssigneeFilter(method="filter_assignee", label=_("Assignee"))
    contract_number = django_filters.CharFilter(
        field_name="contract__number", lookup_expr="icontains", label=_("Contract number")
    )
    client = IdFilter(field_name="client_id", label=_("Client"))
    client_name = django_filters.CharFilter(method="filter_client_name", label=_("Client name or NIP"))
    date_from = DateInputFilter(
        field_name="last_message_at", lookup_expr="date__gte", label=_("Last message from")
    )
    date_to = DateInputFilter(
        field_name="last_message_at", lookup_expr="date__lte", label=_("Last message until")
    )
    q = django_filters.CharFilter(
        method="filter_text",
        max_length=200,
        label=_("Search the subject, the messages' text and the client's name or NIP"),
    )

    def _user(self):
        return getattr(self.request, "user", None)

    def filter_queue(self, queryset, name, value):
        return queue_filter(queryset, value, user=self._user()) if value else queryset

    def filter_text(self, queryset, name, value):
        return text_search(queryset, value)

    def filter_client_name(self, queryset, name, value):
        return queryset.filter(client_search(value)) if value.strip() else queryset

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee_id=getattr(self._user(), "pk", None))
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value)) if value else queryset
