"""Example form data from a JSON Schema, for the test run of a process version (workflows/simulation.py).

A small generator over the schema (required properties, `examples`, enum/const, if/then requirements).
hypothesis-jsonschema was not added: it is random by design and slow to draw, while a deploy needs the
same answer every time; the generated data is still validated against the schema (`form_problem`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from jsonschema import Draft202012Validator


def _if_holds(condition: dict, data: dict) -> bool:
    """Does a (simple) `if` schema hold for `data`? Unknown shapes count as not holding."""
    try:
        return Draft202012Validator(condition).is_valid(data)
    except Exception:
        return False


def _string_example(schema: dict) -> str:
    fmt = schema.get("format", "")
    if fmt == "date":
        return date.today().isoformat()
    if fmt == "date-time":
        return datetime.now(UTC).isoformat()
    if fmt == "email":
        return "test@example.com"
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    pattern = schema.get("pattern")
    candidates = ["Test", "test", "TEST", "1", "12", "00-000", "A1"]
    for text in candidates:
        text = text.ljust(low, "x") if len(text) < low else text
        if high is not None and len(text) > high:
            text = text[:high]
        if pattern is None or re.search(pattern, text):
            return text
    return "x" * max(low, 1)


def example_value(schema: dict) -> Any:
    """A valid value for one property schema: its example, const, first enum value, or a simple value."""
    if schema.get("examples"):
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        return example_from_schema(schema)
    if kind == "array":
        items = schema.get("items") or {}
        return [example_value(items) for _ in range(schema.get("minItems", 0))]
    if kind == "boolean":
        return True
    if kind in {"integer", "number"}:
        if "minimum" in schema:
            return schema["minimum"]
        if "exclusiveMinimum" in schema:
            return schema["exclusiveMinimum"] + 1
        return 1
    if kind == "null":
        return None
    return _string_example(schema)


def example_from_schema(schema: dict, overrides: dict | None = None) -> dict:
    """An object fitting `schema`: `overrides` plus every required property (also those an if/then
    requires once the overrides are in)."""
    data = dict(overrides or {})
    properties = dict(schema.get("properties", {}))
    required = list(schema.get("required", []))
    for rule in [schema, *schema.get("allOf", [])]:
        if "if" in rule and _if_holds(rule["if"], data):
            then = rule.get("then", {})
            required += then.get("required", [])
            for name, extra in then.get("properties", {}).items():
                properties[name] = {**properties.get(name, {}), **extra}
    for name in required:
        if name not in data:
            data[name] = example_value(properties.get(name, {}))
    return data


def form_problem(schema: dict, data: dict) -> str:
    """The first reason `data` does not fit `schema` ("" when it fits)."""
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return ""
    where = ".".join(str(p) for p in errors[0].absolute_path) or "—"
    return f"{where}: {errors[0].message}"
