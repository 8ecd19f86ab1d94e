"""workflows.forms.rules_on_given_values, which version_form reads a version's task forms through: an `if`
over properties applies only to values given (as the analysts meant it), nothing else changes, and every
shipped form already says so itself."""

from __future__ import annotations

import copy

from workflows.forms import form_keys, load_form, rules_on_given_values


def test_every_shipped_form_says_which_values_its_rules_test():
    """A new form with the vacuous shape is caught here, not by a staff member's four errors."""
    for key in form_keys():
        schema = load_form(key)
        assert rules_on_given_values(schema) == schema, key


def test_the_normalisation_leaves_other_rules_and_the_stored_copy_as_they_are():
    stored = {
        "properties": {"if": {"type": "string"}, "kind": {"type": "string"}},
        "allOf": [
            {"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["if"]}},
            {"if": {"required": ["kind"], "properties": {"kind": {"const": "b"}}}, "then": {}},
            {"if": {"not": {"required": ["kind"]}}, "then": {"required": ["if"]}},
        ],
    }
    kept = copy.deepcopy(stored)

    read = rules_on_given_values(stored)

    assert stored == kept
    assert read["properties"] == stored["properties"]  # a property named "if" is no rule
    assert read["allOf"][0]["if"]["required"] == ["kind"]
    assert read["allOf"][1:] == stored["allOf"][1:]
