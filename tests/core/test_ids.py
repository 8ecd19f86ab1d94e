"""Ids in URLs (`<id:…>`, backend/core/ids.py): in the database's id range, or the path does not match."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from backend.core.ids import MAX_ID, IdConverter


def _routes(resolver: URLResolver, prefix: str = "") -> list[tuple[str, dict]]:
    """(route, converters) of every path of the project, includes followed."""
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        converters = {**getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            found += [(r, {**converters, **c}) for r, c in _routes(pattern, route)]
        elif isinstance(pattern, URLPattern):
            found.append((route, converters))
    return found


ROUTES_WITH_IDS = sorted(
    route
    for route, converters in _routes(get_resolver())
    if any(isinstance(c, IdConverter) for c in converters.values())
)


def test_no_path_takes_an_unbounded_integer():
    routes = _routes(get_resolver())

    unbounded = [
        route for route, converters in routes if any(type(c) is IntConverter for c in converters.values())
    ]

    assert unbounded == []
    assert len(ROUTES_WITH_IDS) > 90  # pages and API paths: the discovery found them


@pytest.mark.parametrize("value", ["0", str(MAX_ID + 1), str(2**70)])
def test_a_value_outside_the_range_does_not_match(value):
    with pytest.raises(ValueError):
        IdConverter().to_python(value)


def test_the_range_matches_as_numbers():
    assert IdConverter().to_python("1") == 1
    assert IdConverter().to_python(str(MAX_ID)) == MAX_ID
    assert IdConverter().to_python("007") == 7
    assert IdConverter().to_url(42) == "42"


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES_WITH_IDS if not r.startswith(("api/", "admin/"))])
def test_a_page_with_an_id_out_of_range_is_not_found(client, client_user, bok_staff, route):
    # Pages (the API's paths: tests/hardening/test_bad_input.py), GET and a form's POST, client and staff.
    url = "/" + _fill(route, str(MAX_ID + 1))
    for user in (client_user, bok_staff):
        client.force_login(user)
        for method in (client.get, client.post):
            response = method(url)

            assert response.status_code == 404, (user.email, method.__name__, url, response.status_code)


def _fill(route: str, value: str) -> str:
    return re.sub(r"<id:[a-z_]+>", value, route)
