"""Saving and discarding drafts; every read and write is scoped to (user, acting client)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from backend.clients.access_rules import Area, can
from backend.clients.models import Client, ClientMembership
from backend.core.exceptions import PortalError, PortalValidationError
from backend.core.prepared_reads import PreparedRead
from backend.drafts.models import Draft

# The forms that keep drafts; anything else is refused (a draft store is not a general key-value store).
FORM_KEY_PATTERN = re.compile(
    r"^(request:[a-z][a-z0-9_]{0,47}|request:(?:reply|comment):[1-9][0-9]{0,11}|message:new"
    r"|message:reply:[1-9][0-9]{0,11})$"
)
FORM_KEY_HELP = (
    '"request:<kind>", "request:reply:<request id>", "request:comment:<request id>", "message:new" or '
    '"message:reply:<thread id>"'
)
MAX_DRAFT_BYTES = 32 * 1024
MAX_FIELDS = 60
MAX_VALUE_CHARS = 10_000
# Drafts one user keeps (all companies): far above the forms a person has open, far below a store.
MAX_DRAFTS_PER_USER = 50

# The kinds of request a "request:<kind>" draft may name: the request catalogue, registered by
# requests_app (a layer above) in its ready(); until then the pattern alone.
_REQUEST_KINDS: set[str] = set()


def register_request_kinds(kinds) -> None:
    _REQUEST_KINDS.update(kinds)


def check_form_key(form_key: str) -> str:
    prefix, _colon, kind = (form_key or "").partition(":")
    unknown_kind = prefix == "request" and ":" not in kind and _REQUEST_KINDS and kind not in _REQUEST_KINDS
    if not FORM_KEY_PATTERN.match(form_key or "") or unknown_kind:
        message = _("Unknown form.")
        raise PortalValidationError(message, fields={"form_key": [message]})
    return form_key


class TooManyDrafts(PortalError):
    """A new draft over MAX_DRAFTS_PER_USER: refused, never an older draft dropped unasked."""

    code, status = "too_many_drafts", 409


class FormNotAllowed(PortalError):
    """A draft of a form the user's role cannot send (the action's own 403)."""

    code, status = "permission_denied", 403


# The area each form writes in: a draft is kept only where the user may send the form itself.
_FORM_AREAS = {"request": Area.REQUESTS, "message": Area.MESSAGES}
# The object a key names ("request:reply:<id>", "message:reply:<id>"), looked up for the acting client by
# the app that owns it (requests_app, messaging: layers above, registered in their ready()); the lookup
# raises NotFound for another client's object or one of a contract outside the user's set.
_OBJECT_LOOKUPS: dict[str, Callable[[Client, int], object]] = {}


def register_form_object(prefix: str, lookup: Callable[[Client, int], object]) -> None:
    _OBJECT_LOOKUPS[prefix] = lookup


def check_form_access(form_key: str, *, client: Client, membership: ClientMembership | None) -> str:
    """The form's key if the acting user may send that form: the area and the object, as the action."""
    check_form_key(form_key)
    if not can(membership, _FORM_AREAS[form_key.split(":", 1)[0]], write=True):
        raise FormNotAllowed(_("Your role in this company does not allow this."))
    prefix, _colon, object_id = form_key.rpartition(":")
    lookup = _OBJECT_LOOKUPS.get(prefix)
    if lookup is not None and object_id.isdigit():
        lookup(client, int(object_id))
    return form_key


def _check_data(data) -> dict[str, str | list[str]]:
    """A draft is what a form holds: field names to text (or lists of text, e.g. checked boxes)."""
    message = ""
    if not isinstance(data, dict):
        message = _("A draft is an object of form fields.")
    elif len(data) > MAX_FIELDS:
        message = _("The draft has too many fields.")
    else:
        for name, value in data.items():
            values = value if isinstance(value, list) else [value]
            if len(name) > 100 or not all(isinstance(v, str) and len(v) <= MAX_VALUE_CHARS for v in values):
                message = _("Each field of a draft is text of at most %(limit)d characters.") % {
                    "limit": MAX_VALUE_CHARS
                }
                break
    if not message and len(json.dumps(data, ensure_ascii=False).encode("utf-8")) > MAX_DRAFT_BYTES:
        message = _("The draft is too large (at most %(limit)d KB).") % {"limit": MAX_DRAFT_BYTES // 1024}
    if message:
        raise PortalValidationError(message, fields={"data": [message]})
    return data


@transaction.atomic
def save_draft(*, user, client, form_key: str, data) -> Draft:
    """Create or replace the user's draft of the form for this client."""
    check_form_key(form_key)
    data = _check_data(data)
    mine = Draft.objects.filter(user=user)
    is_new = not mine.filter(client=client, form_key=form_key).exists()
    if is_new and mine.count() >= MAX_DRAFTS_PER_USER:
        raise TooManyDrafts(
            _(
                "You have %(limit)d saved drafts already: send or discard one of them before another is "
                "saved. What you typed stays in this form."
            )
            % {"limit": MAX_DRAFTS_PER_USER}
        )
    draft, _created = Draft.objects.update_or_create(
        user=user, client=client, form_key=form_key, defaults={"data": data}
    )
    return draft


# Every submit and reply looks for its draft: compiled once per connection (backend/core/prepared_reads.py).
_DRAFT_ID = PreparedRead(
    lambda user_id, client_id, form_key: Draft.objects.filter(
        user_id=user_id, client_id=client_id, form_key=form_key
    ).only("id")[:1],
    ints=("user_id", "client_id"),
    strs=("form_key",),
)


def discard_draft(*, user, client, form_key: str) -> bool:
    """Delete the draft (after a successful send or on "Odrzuć"); True when there was one."""
    if user is None or client is None or not FORM_KEY_PATTERN.match(form_key or ""):
        return False
    client_id = client if isinstance(client, int) else client.pk
    # Most sends have no draft: a read instead of a write transaction of its own (SQLite's one writer).
    if _DRAFT_ID.first(user_id=user.pk, client_id=client_id, form_key=form_key) is None:
        return False
    deleted, _rows = Draft.objects.filter(user=user, client_id=client_id, form_key=form_key).delete()
    return bool(deleted)
