"""OpenAPI schema class of the portal: every operation documents the one error shape of the API.

Errors are shaped by `backend.core.exceptions.portal_exception_handler` as `{"code", "message", "fields"}`;
the schema names that shape once (component `Error`) and lists it under each error status an operation can
answer, so clients and the contract tests (schemathesis) can rely on it.
Paginated lists are documented by drf-spectacular from the view's `pagination_class` (the envelope
`{"count", "next", "previous", "results"}` of `backend.core.pagination.PortalPagination`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (see backend/core/exceptions.py)."""

    code = serializers.CharField(
        help_text="Machine-readable error code, e.g. `invalid`, `not_found`, `conflict`."
    )
    message = serializers.CharField(help_text="A sentence for the user, in the user's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name (`non_field_errors` for the whole input); empty when not a form error.",
    )

    class Meta:
        ref_name = "Error"


# The statuses of the error shape and what each means in this API.
ERROR_RESPONSES: dict[str, str] = {
    "400": "Invalid input: `fields` names each wrong field with its messages.",
    "401": "Not authenticated (the session expired or there is none).",
    "403": "Not allowed: not logged in, another role's area, no active client, or no CSRF token.",
    "404": "Not found, or it belongs to another client.",
    "409": "Conflict: someone changed the object first, or the action is not possible in its current state.",
    "503": "Temporarily unavailable (e.g. the database is busy): try again shortly.",
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error responses of the portal on every operation."""

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        component = self.resolve_serializer(ErrorSerializer, "response")
        for status, description in ERROR_RESPONSES.items():
            # An operation's own documentation of a status (via @extend_schema) wins.
            responses.setdefault(
                status,
                {"description": description, "content": {"application/json": {"schema": component.ref}}},
            )
        return responses
