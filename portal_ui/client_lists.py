"""What the client's list and detail pages share: 404 for another client's object, the query string's
ids, and a filtered, sortable, paginated list (the filters are the API's django-filter sets).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from backend.core.exceptions import NotFound
from backend.core.filters import parse_id
from portal_ui.sorting import sort_list

PAGE_SIZE = 25


def or_404(selector: Callable[..., Any], **kwargs) -> Any:
    """Call the selector; its NotFound (another client's object, a missing one) is the page's 404."""
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise Http404 from exc


def paginate(request: HttpRequest, rows, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """Return the requested page and the query string of the other parameters (filters) to keep."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _filtered(filterset_class, request: HttpRequest, queryset):
    """Return the filterset bound to the query string; invalid fields are reported and left out."""
    filterset = filterset_class(request.GET, queryset=queryset)
    return filterset, filterset.qs


def _filters_used(request: HttpRequest) -> bool:
    """Return whether any filter is set; the page and the sort order are not filters."""
    return any(value for key, value in request.GET.items() if key not in ("page", "sort"))


def list_page(
    request: HttpRequest, template: str, *, filterset_class, queryset, sorts, default_sort: str, **extra
) -> HttpResponse:
    """Render a filtered, sortable, paginated client list; `extra` goes into the template context."""
    filterset, rows = _filtered(filterset_class, request, queryset)
    rows, sort = sort_list(request, rows, columns=sorts, default=default_sort)
    page, query = paginate(request, rows)
    context = {
        "sort": sort,
        "filter": filterset,
        "page": page,
        "query": query,
        "filtered": _filters_used(request),
        **extra,
    }
    return render(request, template, context)


def int_param(request: HttpRequest, name: str) -> int | None:
    """An id from the query string; anything else (text, "²", 2**70) is ignored rather than a 500."""
    return parse_id(request.GET.get(name))
