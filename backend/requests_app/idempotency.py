"""The Idempotency-Key header of the submitting endpoints (a request, a buyout request from its quote).

One reading for both: the key is stored as sent, so a key longer than the column is refused (400, the
header named in `fields`) rather than cut, which made two different long keys the same.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter

from backend.core.exceptions import PortalValidationError
from backend.requests_app.models import PortalRequest

HEADER = "Idempotency-Key"
MAX_LENGTH: int = PortalRequest._meta.get_field("idempotency_key").max_length

IDEMPOTENCY_HEADER = OpenApiParameter(
    name=HEADER,
    type={"type": "string", "maxLength": MAX_LENGTH},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A retried submit with the same key returns the first request instead of creating another. "
        f"At most {MAX_LENGTH} characters (surrounding spaces are ignored); a longer key is refused with 400."
    ),
)


def idempotency_key(request: HttpRequest) -> str:
    """The request's key, "" when none is sent."""
    key = (request.headers.get(HEADER) or "").strip()
    if len(key) > MAX_LENGTH:
        message = _("The %(header)s header may be at most %(limit)d characters long.") % {
            "header": HEADER,
            "limit": MAX_LENGTH,
        }
        raise PortalValidationError(message, fields={HEADER: [message]})
    return key
