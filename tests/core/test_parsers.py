"""JSON bodies nest at most MAX_DEPTH levels (backend/core/parsers.py): deeper is a 400, never a 500."""

from __future__ import annotations

import pytest

from backend.core.parsers import MAX_DEPTH, nesting_exceeds


def _nested(depth: int) -> str:
    """A JSON text of `depth` levels: objects and lists in turn, the innermost holding a number."""
    text = "1"
    for level in range(depth):
        text = f'{{"a": {text}}}' if level % 2 else f"[{text}]"
    return text


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 990, 5000])
@pytest.mark.parametrize("url", ["/api/requests/", "/api/messages/"])
def test_a_body_nested_too_deeply_is_a_parse_error(api_as, client_user, url, depth):
    body = f'{{"kind": "payment_date_change", "subject": "x", "data": {_nested(depth)}}}'

    response = api_as(client_user).post(url, body, content_type="application/json")

    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "parse_error"
    assert str(MAX_DEPTH) in response.json()["message"]


def test_a_body_within_the_limit_reaches_validation(api_as, client_user):
    body = f'{{"kind": "payment_date_change", "data": {_nested(MAX_DEPTH - 1)}}}'

    response = api_as(client_user).post("/api/requests/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # the fields' errors, not the parser's


def test_nesting_counts_lists_and_objects_alike():
    assert not nesting_exceeds({"a": [1, {"b": []}]}, 4)  # object, list, object, list: four levels
    assert nesting_exceeds({"a": [1, {"b": [[]]}]}, 4)
    assert not nesting_exceeds("text", 0)
    assert not nesting_exceeds([[]] * 10_000, 2)  # wide is fine
