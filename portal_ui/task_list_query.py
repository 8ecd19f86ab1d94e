"""The staff task list's rows for a query string: its filters, scope and sort, read one way.

The task list shows them a page at a time; the task page's "next task" (task_list_memory.py) walks the same
rows for the list's remembered query, so "next" follows every filter and the sort the list was shown with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from backend.core.date_fields import DateInputField
from backend.requests_app.inputs import StaffTaskQuerySerializer
from backend.requests_app.models import PortalRequest
from backend.requests_app.selectors_task_list import list_staff_tasks
from portal_ui.client_lists import query_filters
from portal_ui.sorting import Sort, sort_list
from workflows.contract import staff_task_ids, user_task_ids

# Stage filters of the task list: the user tasks the request types' contracts declare (workflows/contract.py).
STAFF_STAGES = staff_task_ids()
OPEN_STAGES = user_task_ids()
SCOPE_STAGES = {
    "": STAFF_STAGES,
    "client": [stage for stage in OPEN_STAGES if stage not in STAFF_STAGES],
    "open": OPEN_STAGES,
    "closed": [],  # a closed request is at no task
}
# The lists with a staff due date (its filter and column): the client's list and the closed one have none.
DUE_SCOPES = ("", "open")
# Sortable columns of the task list: key → fields in ascending order.
TASK_SORTS = {
    "number": ["number"],
    "client": ["client__name"],
    "contract": ["contract__number"],
    "submitted": ["created_at"],
    "due": ["staff_due_at"],
    "assignee": ["assignee__last_name", "assignee__first_name", "assignee__email"],
}
# The filters the page reads from its query string (the due date apart: a day, see task_rows).
FILTER_NAMES = ("kind", "stage", "contract", "client", "assignee", "scope", "near_deadline", "overdue", "q")


@dataclass
class TaskRows:
    """The rows of the list for one query, sorted, and what the page says about its filters."""

    rows: QuerySet[PortalRequest]
    sort: Sort
    filters: dict[str, str]  # as typed (a refused value blank), the due date as ISO
    filter_errors: dict[str, list[str]] = field(default_factory=dict)
    due: date | None = None


def task_rows(request: HttpRequest, params: QueryDict | None = None) -> TaskRows:
    """The list for `params` (the request's own query string when None). A refused value is reported for
    its field and not applied."""
    params = request.GET if params is None else params
    filters = {key: params.get(key, "").strip() for key in FILTER_NAMES}
    filters["near_deadline"] = "1" if filters["near_deadline"] == "1" else ""
    filters["overdue"] = "1" if filters["overdue"] == "1" else ""  # selectors_task_list.overdue_condition
    if filters["scope"] not in SCOPE_STAGES:  # every open request, those waiting for the client, the closed
        filters["scope"] = ""
    if filters["assignee"] == str(request.user.pk):  # oneself is "Me" there: the filter lists no own name
        filters["assignee"] = "me"
    # The API's query serializer reads the filters; the page's due date is a day (dd.mm.yyyy or ISO), due
    # by its end.
    names = ("kind", "stage", "contract", "client", "assignee", "q")
    valid, filter_errors = query_filters(StaffTaskQuerySerializer, {name: filters[name] for name in names})
    due, raw_due = None, params.get("due_before", "").strip()
    try:
        due = DateInputField().run_validation(raw_due) if raw_due else None
    except ValidationError as exc:
        filter_errors["due_before"] = [str(message) for message in exc.detail]
    filters.update({name: "" for name in filter_errors if name in filters})
    if due is not None:
        valid["due_before"] = timezone.make_aware(datetime.combine(due, time.max))
    scope_filters = {key: filters[key] for key in ("scope", "near_deadline", "overdue")}
    queryset = list_staff_tasks(staff=request.user, filters={**valid, **scope_filters})
    # Waiting for the client there is no staff due date: the column says since when the client has it; a
    # closed request's says when it was closed, newest first (the selector's order).
    columns, default = TASK_SORTS, "due"
    if filters["scope"] == "client":
        columns = {**TASK_SORTS, "due": ["waiting_since"]}
    elif filters["scope"] == "closed":
        columns = {**{k: v for k, v in TASK_SORTS.items() if k != "due"}, "closed": ["closed_at"]}
        default = "-closed"
    queryset, sort = sort_list(request, queryset, columns=columns, default=default, params=params)
    # A refused date stays in its field as typed, beside its error.
    filters["due_before"] = due.isoformat() if due else raw_due
    return TaskRows(rows=queryset, sort=sort, filters=filters, filter_errors=filter_errors, due=due)


def scope_query(listed: TaskRows, scope: str) -> str:
    """The query string of the list `scope` with the filters of `listed` that list has: a search or a client
    stays on while staff look in the other lists. The stage goes along only to a list with that stage, the
    due date only to a list with a staff due date; the sort and the page are each list's own."""
    filters = listed.filters
    params = QueryDict(mutable=True)
    if scope:
        params["scope"] = scope
    for name in ("q", "kind", "contract", "client", "assignee", "near_deadline", "overdue"):
        if filters.get(name):
            params[name] = filters[name]
    if filters.get("stage") and filters["stage"] in SCOPE_STAGES[scope]:
        params["stage"] = filters["stage"]
    if listed.due is not None and scope in DUE_SCOPES:
        params["due_before"] = listed.due.isoformat()
    return params.urlencode()
