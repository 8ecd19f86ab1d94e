"""The API's own OpenAPI schema as the list of what to try: a filter or path added later is covered too."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from drf_spectacular.generators import SchemaGenerator


@cache
def schema_paths() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


def query_parameters(accept: Callable[[str, dict], bool]) -> list[tuple[str, str]]:
    """(path, name) of every GET query parameter that `accept(path, parameter)` takes, sorted."""
    return sorted(
        (path, parameter["name"])
        for path, operations in schema_paths().items()
        for parameter in operations.get("get", {}).get("parameters", [])
        if parameter["in"] == "query" and accept(path, parameter)
    )


def each_query_parameter(found: list[tuple[str, str]]):
    """parametrize a test over (path, name) pairs, each named "path name" in the report."""
    return pytest.mark.parametrize(("path", "name"), found, ids=[f"{path} {name}" for path, name in found])
