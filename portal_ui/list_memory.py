"""The list a user last looked at, so that a detail page's way back returns to it as it was.

A list page remembers its query (filters, sort, page) in the session under its URL name; the breadcrumb of
a detail page asks for that list's address (`{% list_url "invoices" %}`). The query is only ever put behind
the list's own path, so it can lead nowhere else. The staff task list also keeps the order of its rows
(task_list_memory.py: "next task").
"""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.urls import reverse

SESSION_KEY = "list_queries"
MAX_QUERY = 1000  # characters: a real filter's query is far shorter; anything longer is not kept


def remember_query(request: HttpRequest) -> None:
    """Called by a list page: its query string, under the page's URL name (written only when it changes)."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name or not hasattr(request, "session"):
        return
    query = request.GET.urlencode()
    if len(query) > MAX_QUERY:
        query = ""
    remembered = request.session.get(SESSION_KEY) or {}
    if remembered.get(match.url_name, "") != query:
        request.session[SESSION_KEY] = {**remembered, match.url_name: query}


def remembered_query(request: HttpRequest | None, url_name: str) -> str:
    """The query string the list `url_name` was last shown with ("" if none)."""
    if request is None or not hasattr(request, "session"):
        return ""
    return (request.session.get(SESSION_KEY) or {}).get(url_name, "")


def list_url(request: HttpRequest | None, url_name: str) -> str:
    """The list as last shown (its filters, sort and page), or the list itself."""
    path = reverse(url_name)
    query = remembered_query(request, url_name)
    return f"{path}?{QueryDict(query).urlencode()}" if query else path
