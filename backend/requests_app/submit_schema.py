"""The kind's published submit schema applied to a request body as the client sent it.

The catalogue shows each kind's `form_schema` (bpmn/forms/<kind>/submit.json); the submit is checked against
that same file before DRF reads the body, which would take "yes" or 1 as true and drop a key `data` does not
list. RequestSubmitInputSerializer (validation.py) runs it, so the API, the pages and the buyout request
refuse alike.
"""

from __future__ import annotations

from typing import Any

from rest_framework.utils import html

from backend.requests_app.catalogue import submit_form_schema
from backend.requests_app.models import RequestKind
from workflows.forms import schema_errors

NESTED = ("contact", "declarations", "data")


def _as_sent(body: Any) -> Any:
    """The body as JSON has it: a form body's dotted keys (`data.reason`) as the objects DRF reads them into."""
    if not html.is_html_input(body):
        return body
    nested = {name: html.parse_html_dict(body, prefix=name) for name in NESTED}
    return {
        **{key: body.get(key) for key in body if "." not in key and "[" not in key},
        **{name: value for name, value in nested.items() if value},
        "attachment_ids": html.parse_html_list(body, prefix="attachment_ids", default=[]),
    }


def submit_schema_errors(body: Any) -> dict[str, list[str]]:
    """What the kind's submit schema refuses in the body as sent, by dotted path ({} when it fits, or when
    the body names no known kind: the serializer's `kind` says so)."""
    if not isinstance(body, dict) or body.get("kind") not in RequestKind.values:
        return {}
    return schema_errors(submit_form_schema(body["kind"]), _as_sent(body))


def _dotted(detail: Any, prefix: str = "") -> set[str]:
    """The dotted paths of a serializer's nested errors."""
    if isinstance(detail, dict) and detail:
        return set().union(
            *(_dotted(value, f"{prefix}.{key}" if prefix else str(key)) for key, value in detail.items())
        )
    return {prefix}


def add_schema_errors(detail: Any, refused: dict[str, list[str]]) -> Any:
    """The serializer's errors with the schema's about other fields: a field both refuse (or one inside
    or around it) keeps the serializer's message, which says more than the schema's."""
    if not isinstance(detail, dict):
        return detail
    faulted = _dotted(detail)

    def related(path: str) -> bool:
        return any(p == path or p.startswith(f"{path}.") or path.startswith(f"{p}.") for p in faulted)

    return {**detail, **{path: texts for path, texts in refused.items() if not related(path)}}


def integer_data_fields(kind: str) -> frozenset[str]:
    """The fields of `data` the kind's schema types as whole numbers: a form page sends them as numbers."""
    fields = submit_form_schema(kind).get("properties", {}).get("data", {}).get("properties", {})
    return frozenset(
        name
        for name, field in fields.items()
        if "integer" in ([field.get("type")] if isinstance(field.get("type"), str) else field.get("type", []))
    )
