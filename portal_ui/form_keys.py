"""The one-time key of a page form that writes (a message, a comment, a reply, an invoice duplicate).

The page puts a fresh UUID into the form (`<input type="hidden" name="idempotency_key">`); the service
keyed by it writes once, so the same form posted twice (a double click, a re-sent page, two posts at once)
makes one row and the second post is answered like the first. The request forms carry the same field
(request_form_posting.py: the wizard and permit_views.py).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest

FIELD = "idempotency_key"
# As long as the keys the services store (a request's, a message's).
MAX_LENGTH = 128


def new_form_key() -> str:
    """A fresh key for a form shown (again): a form sent back with its errors made nothing with the old one."""
    return str(uuid.uuid4())


def posted_form_key(request: HttpRequest) -> str:
    """The posted form's key, "" when it has none (then every post writes)."""
    return request.POST.get(FIELD, "").strip()[:MAX_LENGTH]
