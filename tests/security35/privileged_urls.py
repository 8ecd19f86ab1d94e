"""Every staff, analyst, ops and admin URL of the resolver, with its path parameters filled with ids of a
real request (so a hole shows real data, not a 404 of a made-up id)."""

from __future__ import annotations

import re

from tests.url_routes import url_routes

PRIVILEGED = ("staff/", "ops/", "analyst/", "api/staff/", "api/workflows/", "api/ops/", "admin/")
ANALYST_ONLY = ("ops/", "analyst/", "api/ops/", "api/workflows/versions/", "api/workflows/instances/")
# The admin's own doors, the same for every visitor (its login page says who may enter).
PUBLIC_DOORS = ("admin/login/", "admin/logout/", "admin/jsi18n/")
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def privileged_paths(ids: dict[str, str]) -> list[str]:
    """The privileged routes as paths; `ids` names a value per parameter name (else "1") and a query
    string per path ("?/ops/instances/": "?version=…")."""
    paths = []
    for route in url_routes():
        if not route.startswith(PRIVILEGED) or route.startswith(PUBLIC_DOORS) or "(?P" in route:
            continue  # the admin's regex catch-alls are the same views as the named ones
        path = "/" + _PARAMETER.sub(lambda m: ids.get(m.group(2), "1"), route)
        paths.append(path + ids.get(f"?{path}", ""))  # a list's query that makes it show something
    return sorted(set(paths))
