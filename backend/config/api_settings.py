"""The REST API's settings: DRF, per-user throttles and the published OpenAPI description (drf-spectacular)."""

from __future__ import annotations

from backend.core.api_guide import api_description
from backend.core.env import env, throttle_rate
from backend.core.ids import MAX_ID, MIN_ID

REST_FRAMEWORK = {
    # The session of /login/; no session is a 401 with its challenge, a CSRF failure `csrf_failed`.
    "DEFAULT_AUTHENTICATION_CLASSES": ["backend.core.authentication.PortalSessionAuthentication"],
    # JSON only: DRF's browsable HTML API needs inline styles the CSP refuses, and the docs are /api/docs/.
    # The file downloads accept their own types (backend/core/file_downloads.py).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's JSON parser with a nesting limit, its multipart parser with the user's words for a body it cannot
    # read (backend/core/parsers.py); forms as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "backend.core.parsers.PortalJSONParser",
        "rest_framework.parsers.FormParser",
        "backend.core.parsers.PortalMultiPartParser",
    ],
    # drf-spectacular plus the error shape on every operation.
    "DEFAULT_SCHEMA_CLASS": "backend.core.schema.PortalAutoSchema",
    # django-filter's backend; skips the filter set of an unfiltered list read (backend/core/filters.py).
    "DEFAULT_FILTER_BACKENDS": ["backend.core.filters.PortalFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "backend.core.pagination.PortalPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "backend.core.exceptions.portal_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # Per-user limits of the views that name `throttle_scopes` (backend/core/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["backend.core.throttling.ActionThrottle"],
}

# Per user and scope: "N/second|minute|hour|day", "off" for none; API_THROTTLE_<SCOPE> overrides one.
# Expensive or permanent work only: a duplicate is kept for good, a PDF, XLSX or ZIP is rendered on each
# call, an upload is stored, a request, message or invitation notifies people.
_DEFAULT_THROTTLE_RATES = {
    "duplicates": "30/hour",  # invoice duplicates ordered
    "exports": "300/hour",  # PDF, XLSX and CSV files rendered on request (invoices, schedules, quotes)
    "zip_exports": "30/hour",  # the accountant's monthly ZIP
    "uploads": "200/hour",  # attachments of requests and messages
    "submissions": "60/hour",  # requests, buyout quotes and requests from them
    "messages": "200/hour",  # new threads, comments, staff answers
    "invites": "50/hour",  # users invited and activation codes issued again
    "drafts": "900/hour",  # draft saves: one per pause in typing (drafts.js waits 0.8 s)
}


def throttle_rates() -> dict:
    """Each scope's limit, as the environment overrides it."""
    return {
        scope: throttle_rate(env(f"API_THROTTLE_{scope.upper()}", default))
        for scope, default in _DEFAULT_THROTTLE_RATES.items()
    }


def spectacular_settings(
    rates: dict, *, body_bytes: int, upload_bytes: int, idle_seconds: int, absolute_seconds: int
) -> dict:
    """drf-spectacular's settings; the description states the limits this configuration runs with."""
    return {
        "TITLE": "Portal Klienta API",
        # How to log in, send the CSRF token, choose the company; errors, paging and limits (backend/core/api_guide.py).
        "DESCRIPTION": api_description(
            rates,
            body_bytes=body_bytes,
            upload_bytes=upload_bytes,
            idle_seconds=idle_seconds,
            absolute_seconds=absolute_seconds,
        ),
        "VERSION": "1.0.0",
        # One language, English, whatever the session's (backend/core/schema.py).
        "DEFAULT_GENERATOR_CLASS": "backend.core.schema.PortalSchemaGenerator",
        "SERVE_INCLUDE_SCHEMA": False,
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
        "COMPONENT_SPLIT_REQUEST": True,
        # `<id:…>` (backend/core/ids.py) matches the id range only: anything else is a 404, not a value.
        "PATH_CONVERTER_OVERRIDES": {
            "id": {"type": "integer", "format": "int64", "minimum": MIN_ID, "maximum": MAX_ID}
        },
        # Several models have a `status`; name each choice set so the schema stays unambiguous.
        "ENUM_NAME_OVERRIDES": {
            "InvoiceStatusEnum": "backend.invoices.models.InvoiceStatus",
            "ContractStatusEnum": "backend.contracts.models.Contract.Status",
            "PolicyStatusEnum": "backend.contracts.models.InsurancePolicy.Status",
            "MessageThreadStatusEnum": "backend.messaging.models.MessageThread.Status",
            "ContractTypeEnum": "backend.contracts.models.Contract.Type",
            "RequestKindEnum": "backend.requests_app.models.RequestKind",
            "RequestTypeEnum": "backend.requests_app.models.RequestType",
            "RequestStatusEnum": "backend.requests_app.models.RequestStatus",
            "RequestEventKindEnum": "backend.requests_app.models.RequestEvent.Kind",
            "ProcessInstanceStatusEnum": "workflows.models.ProcessInstance.Status",
            "MemberStatusEnum": "backend.clients.models.ClientMembership.Status",
            # Two choice sets of fields named "category": the message threads' keeps its name of old.
            "CategoryEnum": "backend.messaging.models.MessageThread.Category",
            "LeasedItemCategoryEnum": "backend.contracts.models.LeasedItem.Category",
        },
    }
