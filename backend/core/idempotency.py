"""The Idempotency-Key header of the API's creating posts (a request, a buyout request from its quote, a new
message thread, a comment on a thread, a staff reply): a retried post with the same key answers what the first one made
instead of making another; the key with anything else in the post (any field, other files) is 409.

A key is scoped to the endpoint, as the IETF draft "The Idempotency-Key HTTP Header Field" scopes it to the
resource: the same key sent to another endpoint (a new thread, then a comment; a comment on another thread) makes
another thing there. The two posts that make a request (POST /api/requests/ and a buyout quote's request) are one
scope, both being a request: a key of one is 409 on the other. Each scope is also per user and acting client.

One reading for all: the key is stored as sent, so a key longer than the column is refused (400, the
header named in `fields`) rather than cut, which made two different long keys the same.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter

from backend.core.exceptions import PortalValidationError

HEADER = "Idempotency-Key"
# The length of every stored key (PortalRequest, MessageThread, Message: `idempotency_key`).
MAX_LENGTH = 128

IDEMPOTENCY_HEADER = OpenApiParameter(
    name=HEADER,
    type={"type": "string", "maxLength": MAX_LENGTH},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A retried post with the same key answers 200 with what the first one made instead of making another;"
        " the same key with another body is 409 `idempotency_key_reused`. The key is scoped to the endpoint"
        " (and to the user and the client acted for): the same key on another endpoint makes another thing"
        " there; a comment's key is scoped to its thread. POST /api/requests/ and a buyout quote's request"
        " both make a request and share one scope."
        f" At most {MAX_LENGTH} characters (surrounding spaces are ignored); a longer key is refused with 400."
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
