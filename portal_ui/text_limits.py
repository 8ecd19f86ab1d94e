"""The most characters a page's text field takes, read from the API's input serializer that checks it, so a
form's counter (_char_counter.html, forms.js) and its `maxlength` say the server's own limit, never a copy."""

from __future__ import annotations

from functools import cache

from rest_framework import serializers


@cache  # a class's limits are fixed: build its fields once per process, not on every page render
def max_length(serializer_class: type[serializers.Serializer], field: str) -> int:
    """The `max_length` of `field` of `serializer_class` (a field without one is a programming slip)."""
    limit = serializer_class().fields[field].max_length
    if limit is None:
        raise ValueError(f"{serializer_class.__name__}.{field} has no max_length")
    return limit
