"""Staff's internal notes on a request ("called the client, they will send the invoice on Monday").

A note is a history row for colleagues (RequestEvent.Kind.INTERNAL_NOTE): the client's copy of the history
never reads it (selectors.BACK_OFFICE_KINDS). Its outbox event (outbox.internal_note_added) is the back
office's alone: no client id and ids only, so the live push brings it to the colleagues' open task page
of the request (staff_live.js re-fetches its history) and no e-mail, notice or client socket carries it.
It is no step of the process: any back-office user may write one on any request, in any status, claimed
by anyone or nobody.
The page and the staff API call the one service here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy

from backend.accounts.models import User
from backend.core.exceptions import PortalValidationError
from backend.requests_app import history, outbox
from backend.requests_app.locking import lock_request
from backend.requests_app.models import PortalRequest, RequestEvent

# A few paragraphs of what was agreed on the phone; a longer record belongs in a message or a document.
MAX_NOTE_LENGTH = 2000
NOTE_FIELD = "note"
# Said at the field by the input serializer (inputs.RequestNoteInputSerializer) and by the service alike.
EMPTY_NOTE = gettext_lazy("Write the note: it cannot be empty.")
LONG_NOTE = gettext_lazy("The note can be at most %(limit)s characters long (it has %(length)s).")


def note_refusal(text: str) -> str:
    """Why the note cannot be kept as typed, "" when it can."""
    if not text.strip():
        return str(EMPTY_NOTE)
    if len(text) > MAX_NOTE_LENGTH:
        return str(LONG_NOTE) % {"limit": MAX_NOTE_LENGTH, "length": len(text)}
    return ""


@transaction.atomic
def add_internal_note(*, staff: User, portal_request: PortalRequest, text: str) -> RequestEvent:
    """Write `staff`'s note under the request's lock, so it takes its place in the history among the steps.

    Refused: a user outside the back office (403), an empty or too long text (400 at `note`), an unknown
    request (404).
    """
    if not staff.is_back_office:  # the views ask first (IsBackOffice, staff_required): a caller's slip
        raise PermissionDenied
    text = text.strip()
    refusal = note_refusal(text)
    if refusal:
        raise PortalValidationError(refusal, fields={NOTE_FIELD: [refusal]})
    locked = lock_request(portal_request)
    note = history.internal_note_added(locked, staff=staff, text=text)
    # Colleagues' open task pages show it (staff only, ids only).
    outbox.internal_note_added(locked, author=staff)
    return note
