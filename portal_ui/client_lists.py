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
from portal_ui.list_memory import remember_query
from portal_ui.sorting import sort_list

PAGE_SIZE = 25


def or_404(selector: Callable[..., Any], **kwargs) -> Any:
    """Call the selector; its NotFound (another client's object, a missing one) is the page's 404."""
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise Http404 from exc


def page_of(request: HttpRequest, rows, *, per_page: int = PAGE_SIZE) -> Page:
    """The page `?page=` asks for, on every list page: a number past the end is the last page; 0, a negative
    number or anything not a number the first (Django's get_page showed the last page for 0 and -1)."""
    try:
        number = max(int(request.GET.get("page", "")), 1)
    except ValueError:  # "abc", "1.5", a number of more digits than int() reads
        number = 1
    return Paginator(rows, per_page).get_page(number)


def paginate(request: HttpRequest, rows, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """Return the requested page and the query string of the other parameters (filters) to keep."""
    page = page_of(request, rows, per_page=per_page)
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _filtered(filterset_class, request: HttpRequest, queryset):
    """Return the filterset bound to the query string; invalid fields are reported and left out."""
    filterset = filterset_class(request.GET, queryset=queryset)
    return filterset, filterset.qs


def active_filter_count(params, errors) -> int:
    """How many filters are applied: the page, the sort order and a value refused (shown as its field's
    error, not applied) do not count. The phone's folded filters say it ("Filtry (2 aktywne)")."""
    return sum(
        1 for key, value in params.items() if value and key not in ("page", "sort") and key not in errors
    )


def filters_used(params, errors) -> bool:
    """Whether a filter is applied, so a list with only a bad value does not say "filtered"."""
    return active_filter_count(params, errors) > 0


def query_filters(serializer_class, params: dict) -> tuple[dict, dict[str, list[str]]]:
    """A list page's filters read by the API's query serializer: the values of the valid ones and the
    errors of the others (name → messages), which the page shows at their fields instead of the API's 400."""
    params = {key: value for key, value in params.items() if value != ""}  # blank: not given, as in the API
    serializer = serializer_class(data=params)
    if serializer.is_valid():
        return dict(serializer.validated_data), {}
    errors = {name: [str(message) for message in messages] for name, messages in serializer.errors.items()}
    rest = serializer_class(data={key: value for key, value in params.items() if key not in errors})
    rest.is_valid()  # each field is checked alone: what is left is valid
    return dict(rest.validated_data), errors


def list_page(
    request: HttpRequest, template: str, *, filterset_class, queryset, sorts, default_sort: str, **extra
) -> HttpResponse:
    """Render a filtered, sortable, paginated client list; `extra` goes into the template context."""
    filterset, rows = _filtered(filterset_class, request, queryset)
    rows, sort = sort_list(request, rows, columns=sorts, default=default_sort)
    page, query = paginate(request, rows)
    remember_query(request)  # a detail page's way back returns to the list as it is now
    context = {
        "sort": sort,
        "filter": filterset,
        "page": page,
        "query": query,
        "filtered": filters_used(request.GET, filterset.errors),
        "filter_count": active_filter_count(request.GET, filterset.errors),
        "filter_errors": filterset.errors,
        **extra,
    }
    return render(request, template, context)


def int_param(request: HttpRequest, name: str) -> int | None:
    """An id from the query string; anything else (text, "²", 2**70) is ignored rather than a 500."""
    return parse_id(request.GET.get(name))
