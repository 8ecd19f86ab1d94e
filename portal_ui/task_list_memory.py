"""The staff task list a staff member last looked at: the task page's way back to it and its next task.

The list remembers its query (filters, sort, page) and the order of the requests it showed, in the session:
the breadcrumb "Tasks" returns to that list as it was, and after a decision "Next task" opens the request
that followed this one there (else the first before it) if it is still in that list. The query is only ever
put behind the list's own path, so it can lead nowhere else.
"""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.urls import reverse

from backend.requests_app import selectors
from backend.requests_app.models import PortalRequest

SESSION_KEY = "staff_task_list"


def remember_list(request: HttpRequest, *, shown: list[int]) -> None:
    """Called by the task list: its query and the ids it shows, in order (written only when they change)."""
    memory = {"query": request.GET.urlencode(), "ids": shown}
    if request.session.get(SESSION_KEY) != memory:
        request.session[SESSION_KEY] = memory


def _memory(request: HttpRequest) -> tuple[QueryDict, list[int]]:
    memory = request.session.get(SESSION_KEY) or {}
    ids = [pk for pk in memory.get("ids", []) if isinstance(pk, int)]
    return QueryDict(memory.get("query", "")), ids


def list_url(request: HttpRequest) -> str:
    """The task list as last shown (its filters, sort and page), or the default list."""
    query, _ids = _memory(request)
    return reverse("staff-task-list") + (f"?{query.urlencode()}" if query else "")


def next_task(request: HttpRequest, current: PortalRequest) -> PortalRequest | None:
    """The request after `current` in the list last shown (wrapping to those before it) that is still in
    that list; without a remembered list, the first task waiting for staff."""
    query, ids = _memory(request)
    if not ids:
        return selectors.list_staff_tasks(staff=request.user).exclude(pk=current.pk).first()
    if current.pk in ids:
        at = ids.index(current.pk)
        ids = ids[at + 1 :] + ids[:at]
    scope = query.get("scope", "")
    still = selectors.task_scope(scope if scope in selectors.TASK_SCOPES else "").filter(pk__in=ids)
    listed = {row.pk: row for row in still.only("pk", "number")}
    return next((listed[pk] for pk in ids if pk in listed), None)
