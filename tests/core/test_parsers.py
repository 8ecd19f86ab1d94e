"""JSON bodies (backend/core/parsers.py): nested at most MAX_DEPTH levels, no NUL character; else a 400."""

from __future__ import annotations

import pytest

from backend.core.parsers import MAX_DEPTH, body_problem


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
    assert not body_problem({"a": [1, {"b": []}]}, 4)  # object, list, object, list: four levels
    assert body_problem({"a": [1, {"b": [[]]}]}, 4)
    assert not body_problem("text", 0)
    assert not body_problem([[]] * 10_000, 2)  # wide is fine


@pytest.mark.parametrize("data", [{"body": "a\x00b"}, {"bo\x00dy": "x"}, {"body": ["ok", "\x00"]}])
def test_a_nul_character_anywhere_in_a_body_is_a_parse_error(api_as, client_user, data):
    # A draft's data is a JSON column no field validator guards: on PostgreSQL the NUL was a 500.
    response = api_as(client_user).put(
        "/api/drafts/", {"form_key": "message:new", "data": data}, format="json"
    )

    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "parse_error"
    assert "NUL" in response.json()["message"]


def test_text_without_nul_is_kept(api_as, client_user):
    data = {"body": "Zażółć gęślą jaźń \u2028 \\0"}

    response = api_as(client_user).put(
        "/api/drafts/", {"form_key": "message:new", "data": data}, format="json"
    )

    assert response.status_code == 200, response.content[:300]
    assert response.json()["data"] == data
