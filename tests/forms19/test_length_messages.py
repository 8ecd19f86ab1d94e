"""A form field's length and list limits are said with the number's Polish plural form ("3 znaki", not
"3 znaków"), as staff meet them under a question too short."""

from __future__ import annotations

import pytest
from django.utils import translation

from workflows.forms import schema_errors

SCHEMA = {
    "type": "object",
    "properties": {
        "question": {"type": "string", "minLength": 3, "maxLength": 5},
        "reason": {"type": "string", "minLength": 1},
        "notes": {"type": "string", "maxLength": 22},
        "files": {"type": "array", "maxItems": 2},
    },
}


@pytest.mark.parametrize(
    ("data", "field", "polish", "english"),
    [
        (
            {"question": "ab"},
            "question",
            "Ta wartość musi mieć co najmniej 3 znaki.",
            "at least 3 characters.",
        ),
        (
            {"question": "abcdef"},
            "question",
            "Ta wartość może mieć najwyżej 5 znaków.",
            "at most 5 characters.",
        ),
        ({"reason": ""}, "reason", "Ta wartość musi mieć co najmniej 1 znak.", "at least 1 character."),
        ({"notes": "x" * 23}, "notes", "Ta wartość może mieć najwyżej 22 znaki.", "at most 22 characters."),
        ({"files": [1, 2, 3]}, "files", "Lista może mieć najwyżej 2 pozycje.", "at most 2 items."),
    ],
)
def test_limits_are_said_with_the_numbers_plural_form(data, field, polish, english):
    with translation.override("pl"):
        assert schema_errors(SCHEMA, data)[field] == [polish]
    with translation.override("en"):
        [message] = schema_errors(SCHEMA, data)[field]
        assert message.endswith(english)
