"""OpenAPI schema class of the portal: every operation documents the one error shape of the API.

Errors are shaped by `backend.core.exceptions.portal_exception_handler` as `{"code", "message", "fields"}`;
the schema names that shape once (component `Error`) and lists it under each error status an operation can
answer, so clients and the contract tests (schemathesis) can rely on it.
Paginated lists are documented by drf-spectacular from the view's `pagination_class` (the envelope
`{"count", "next", "previous", "results"}` of `backend.core.pagination.PortalPagination`).
The session the API authenticates with is the security scheme `cookieAuth`; how to get one is the API's
description (backend/core/api_guide.py).
The schema is English whatever the caller's language (`PortalSchemaGenerator`): the API's reference language.
Docstrings of views and serializers become its descriptions: notes for developers go in comments.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from backend.core.money_fields import AmountField
from backend.core.throttling import throttle_scope


# Shaped by backend/core/exceptions.py.
class ErrorSerializer(serializers.Serializer):
    """The body of every error answer; the codes are listed in the guide at the top."""

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
    "400": "Invalid input: `fields` names each wrong field or query parameter with its messages.",
    "401": (
        "Not authenticated: no session (`not_authenticated`, header `WWW-Authenticate: Session`) or one that"
        " ended (`session_expired`). Log in at /login/: see the description at the top."
    ),
    "403": (
        "Not allowed: another role's area or what the user's role in the company does not allow"
        " (`permission_denied`), no active company, two-step login still to set up or confirm"
        " (`second_factor_required`), or a missing or wrong CSRF token (`csrf_failed`)."
    ),
    "404": "Not found, or it belongs to another client.",
    "409": "Conflict: someone changed the object first, or the action is not possible in its current state.",
    "503": "Temporarily unavailable (e.g. the database is busy): try again shortly.",
}


# What an answer of the error shape looks like: a form error, and a conflict with its own code.
ERROR_EXAMPLES: dict[str, dict[str, dict[str, Any]]] = {
    "400": {
        "invalid": {
            "summary": "Fields refused (nested fields are named with dots)",
            "value": {
                "code": "invalid",
                "message": "Please correct the marked fields.",
                "fields": {
                    "contract_id": ["Choose one of your contracts."],
                    "contact.email": ["Enter a valid email address."],
                    "data.reason": ["This field is required."],
                },
            },
        }
    },
    "409": {
        "invalid_transition": {
            "summary": "Not possible in the object's current state",
            "value": {
                "code": "invalid_transition",
                "message": "This action is not possible in the request's current state.",
                "fields": {},
            },
        }
    },
}

# Only where they can happen: a body on an unsafe method, a limit on the view's method.
TOO_LARGE_RESPONSE = ("413", "The request body is over the size limit (`too_large`).")
THROTTLED_RESPONSE = (
    "429",
    "Too many of these calls by this user (`throttled`): try again after `Retry-After` seconds.",
)


# Fields a form body (urlencoded or multipart) can only carry as dotted keys (`contact.name=…`): a body with
# one is documented as JSON only, the way the guide tells clients to send it.
_NESTED_FIELDS = (serializers.DictField, serializers.JSONField, serializers.BaseSerializer)


def _has_nested_field(serializer: serializers.Serializer) -> bool:
    for field in serializer.fields.values():
        if isinstance(field, serializers.ListField):
            field = field.child
        if isinstance(field, _NESTED_FIELDS):
            return True
    return False


class PortalSchemaGenerator(SchemaGenerator):
    """The schema in English, the API's reference language, whatever the caller's session or browser."""

    def get_schema(self, request=None, public=False):
        with translation.override("en"):
            return super().get_schema(request=request, public=public)


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error responses of the portal on every operation."""

    def map_parsers(self) -> list[str]:
        media_types = super().map_parsers()
        serializer = force_instance(self.get_request_serializer())
        if isinstance(serializer, serializers.Serializer) and _has_nested_field(serializer):
            return [
                media_type for media_type in media_types if media_type == "application/json"
            ] or media_types
        return media_types

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # drf-spectacular's pattern of a decimal sent as a string allows a minus sign whatever the field's
        # min_value; an amount that cannot be negative is documented without it.
        if (
            isinstance(field, serializers.DecimalField)
            and field.min_value is not None
            and field.min_value >= 0
            and schema.get("pattern", "").startswith("^-?")
        ):
            schema = {**schema, "pattern": "^" + schema["pattern"][3:]}
        if isinstance(field, AmountField) and "pattern" in schema:
            # It also reads a decimal comma, as the request forms' JSON Schemas write an amount.
            schema = {**schema, "pattern": schema["pattern"].replace(r"(?:\.", "(?:[.,]")}
        return schema

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        component = self.resolve_serializer(ErrorSerializer, "response")
        errors = dict(ERROR_RESPONSES)
        if self.method not in SAFE_METHODS:
            errors.update([TOO_LARGE_RESPONSE])
        if throttle_scope(self.view, self.method):
            errors.update([THROTTLED_RESPONSE])
        for status, description in errors.items():
            # An operation's own documentation of a status (via @extend_schema) wins.
            content: dict[str, Any] = {"schema": component.ref}
            if status in ERROR_EXAMPLES:
                content["examples"] = ERROR_EXAMPLES[status]
            responses.setdefault(
                status, {"description": description, "content": {"application/json": content}}
            )
        return responses


class PortalSessionScheme(OpenApiAuthenticationExtension):
    """The session cookie of /login/ (backend/core/authentication.py); drf-spectacular's own scheme for
    Django's SessionAuthentication does not match a subclass."""

    target_class = "backend.core.authentication.PortalSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": (
                "The session cookie set by logging in at /login/ (and /login/code/ for the second factor)."
                " POST, PUT, PATCH and DELETE also send the header X-CSRFToken with the value of the"
                " csrftoken cookie."
            ),
        }
