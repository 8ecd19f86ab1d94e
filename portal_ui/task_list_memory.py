"""The staff task list's "next task": the order of the requests it last showed.

The list's query (filters, sort, page) is remembered like every list's (list_memory.py), which gives the task
page its way back; beside it the list keeps the ids it showed, in order, so that after a decision "Next task"
opens the request that followed this one there (else the first before it) if it is still in that list.
"""

from __future__ import annotations

from django.http import HttpRequest, QueryDict

from backend.requests_app import selectors
from backend.requests_app.models import PortalRequest
from portal_ui import list_memory

SESSION_KEY = "staff_task_list_ids"
LIST_URL_NAME = "staff-task-list"


def remember_list(request: HttpRequest, *, shown: list[int]) -> None:
    """Called by the task list: its query and the ids it shows, in order (written only when they change)."""
    list_memory.remember_query(request)
    if request.session.get(SESSION_KEY) != shown:
        request.session[SESSION_KEY] = shown


def list_url(request: HttpRequest) -> str:
    """The task list as last shown (its filters, sort and page), or the default list."""
    return list_memory.list_url(request, LIST_URL_NAME)


def next_task(request: HttpRequest, current: PortalRequest) -> PortalRequest | None:
    """The request after `current` in the list last shown (wrapping to those before it) that is still in
    that list; without a remembered list, the first task waiting for staff."""
    ids = [pk for pk in request.session.get(SESSION_KEY) or [] if isinstance(pk, int)]
    if not ids:
        return selectors.list_staff_tasks(staff=request.user).exclude(pk=current.pk).first()
    if current.pk in ids:
        at = ids.index(current.pk)
        ids = ids[at + 1 :] + ids[:at]
    query = QueryDict(list_memory.remembered_query(request, LIST_URL_NAME))
    scope = query.get("scope", "")
    still = selectors.task_scope(scope if scope in selectors.TASK_SCOPES else "").filter(pk__in=ids)
    listed = {row.pk: row for row in still.only("pk", "number")}
    return next((listed[pk] for pk in ids if pk in listed), None)
