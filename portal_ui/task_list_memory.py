"""The staff task list's "next task": the list as it was last shown, walked on from the current request.

The list's query (filters, sort, page) is remembered like every list's (list_memory.py), which gives the task
page its way back; beside it the list keeps the ids of the page it showed, in order. "Next task" runs that
query again over the whole list (task_list_query.py: every filter and the sort, not only the page shown) and
offers the request after this one (wrapping to those before it) that waits for staff and nobody else holds.
A task claimed or released from the list is remembered once (`LANDED_KEY`): the list comes back at its row,
or, when its filters or order no longer show it there, says where it went with a link to it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse

from backend.requests_app.models import OPEN_STATUSES, PortalRequest
from backend.requests_app.selectors_task_list import TASK_SCOPES
from portal_ui import list_memory
from portal_ui.task_list_query import scope_query, task_rows

SESSION_KEY = "staff_task_list_ids"
LANDED_KEY = "staff_task_list_landed"
LIST_URL_NAME = "staff-task-list"


def remember_list(request: HttpRequest, *, shown: list[int]) -> None:
    """Called by the task list: its query and the ids it shows, in order (written only when they change)."""
    list_memory.remember_query(request)
    if request.session.get(SESSION_KEY) != shown:
        request.session[SESSION_KEY] = shown


def remember_landed(request: HttpRequest, *, request_id: int, back_to: str) -> None:
    """Called after a claim or release sent back to `back_to`: when that is the task list, that list (its
    very query) shows the task once more: its row, or where it went."""
    back = urlsplit(back_to)
    if back.path == reverse(LIST_URL_NAME):
        request.session[LANDED_KEY] = [request_id, back.query]


def landed_elsewhere(request: HttpRequest, listed: QuerySet, *, shown: list[int]) -> dict | None:
    """The task just claimed or released from this list, when the page does not show its row: "unclaimed"
    or "mine" no longer lists it, or the sort by assignee moved it to another page (read once)."""
    landed, query = request.session.pop(LANDED_KEY, None) or (None, "")
    # Another list than the one the claim came back to (the redirect not followed) says nothing of it.
    if landed is None or landed in shown or query != request.META.get("QUERY_STRING", ""):
        return None
    task = PortalRequest.objects.only("pk", "number").filter(pk=landed).first()
    if task is None:
        return None
    return {"task": task, "other_page": listed.filter(pk=landed).exists()}


def list_url(request: HttpRequest, portal_request: PortalRequest | None = None) -> str:
    """The task list as last shown (its filters, sort and page), or the default list. A closed request that
    list did not show (opened by its address or a link) leads to the closed list with the same filters:
    the open lists can never show it, and a search that found nothing there would be a dead end."""
    url = list_memory.list_url(request, LIST_URL_NAME)
    if portal_request is None or portal_request.status in OPEN_STATUSES:
        return url
    query = QueryDict(list_memory.remembered_query(request, LIST_URL_NAME))
    if query.get("scope") == "closed" or portal_request.pk in (request.session.get(SESSION_KEY) or []):
        return url
    closed = scope_query(task_rows(request, query), "closed")
    return f"{reverse(LIST_URL_NAME)}?{closed}"


def next_task(request: HttpRequest, current: PortalRequest) -> PortalRequest | None:
    """The request after `current` in the list last shown (wrapping to those before it) that still matches
    its filters, waits for staff and no colleague holds; None when none is left. Without a remembered
    list, the default list (waiting for staff); after the list of those waiting for the client or the
    closed one, which hold no staff task, the default list with the same filters."""
    query = QueryDict(list_memory.remembered_query(request, LIST_URL_NAME))
    listed = task_rows(request, query)
    if listed.filters["scope"] in ("client", "closed"):
        listed = task_rows(request, QueryDict(scope_query(listed, "")))
    # Only a task staff can take up: "all open" lists requests waiting for the client too.
    walked = listed.rows.filter(TASK_SCOPES[""])
    # The whole list in its order, as ids and holders: one query of integers (one request is read after).
    rows = list(walked.values_list("pk", "assignee_id"))
    ids = [pk for pk, _holder in rows]
    start = _position_after(current.pk, ids, shown=request.session.get(SESSION_KEY) or [])
    free = (
        pk
        for pk, holder in rows[start:] + rows[:start]
        if pk != current.pk and holder in (None, request.user.pk)
    )
    found = next(free, None)
    return PortalRequest.objects.only("pk", "number").filter(pk=found).first() if found else None


def _position_after(current: int, ids: list[int], *, shown: list) -> int:
    """Where the rows after `current` begin in `ids`. A decided request has left the list: its place is
    after the last row the page showed before it that is still listed (so past the page's end too)."""
    if current in ids:
        return ids.index(current) + 1
    if current not in shown:
        return 0
    at = shown.index(current)
    listed = set(ids)
    before = next((pk for pk in reversed(shown[:at]) if pk in listed), None)
    if before is not None:
        return ids.index(before) + 1
    after = next((pk for pk in shown[at + 1 :] if pk in listed), None)
    return ids.index(after) if after is not None else 0
