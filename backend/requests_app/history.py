"""The request's history: one function per kind of row (RequestEvent), the only place that writes them.

Rows are never updated or deleted (the decision document's row is completed once its file is rendered).
Who wrote a row follows the actor: no actor is the system, a client user the client, anyone else staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backend.core.prepared_writes import insert_rows
from backend.requests_app.models import PortalRequest, RequestEvent
from backend.requests_app.price_conversion import conversion_line

if TYPE_CHECKING:
    from backend.accounts.models import User
    from backend.requests_app.lifecycle import StatusChange
    from backend.requests_app.price_conversion import PriceConversion


def _add(**fields: Any) -> RequestEvent:
    return _add_all([fields])[0]


def _add_all(rows: list[dict[str, Any]]) -> list[RequestEvent]:
    """Store new rows: every row of the history is written here (one prepared INSERT, the step's hot path)."""
    return insert_rows([RequestEvent(**fields) for fields in rows])


def author_of(actor: User | None) -> str:
    if actor is None:
        return RequestEvent.Author.SYSTEM
    return RequestEvent.Author.CLIENT if actor.is_client_user else RequestEvent.Author.STAFF


def _person(portal_request: PortalRequest, kind: str, actor: User | None, **fields: Any) -> RequestEvent:
    return _add(
        request=portal_request,
        kind=kind,
        author=author_of(actor),
        actor=actor,
        stage=portal_request.stage,
        **fields,
    )


def _system(portal_request: PortalRequest, kind: str, **fields: Any) -> RequestEvent:
    return _add(
        request=portal_request,
        kind=kind,
        author=RequestEvent.Author.SYSTEM,
        stage=portal_request.stage,
        **fields,
    )


# --------------------------------------------------------------------------------------------------
# The steps of the process


def submitted(portal_request: PortalRequest, *, actor: User | None) -> RequestEvent:
    """The request was created, in the status it was created in (no stage yet). Written before its process
    starts, so the rows the first step writes (a failed rule, the status changes) come after it."""
    return _add(
        request=portal_request,
        kind=RequestEvent.Kind.SUBMITTED,
        author=author_of(actor),
        actor=actor,
        status_to=portal_request.status,
    )


def stages_changed(
    portal_request: PortalRequest,
    changes: list[StatusChange],
    *,
    actor: User | None,
    outside_contact: dict | None = None,
) -> list[RequestEvent]:
    """A step moved the request's status (once or more, e.g. approved then completed): a row per change,
    in one INSERT; the closing "complete" after an approval is the system's. `outside_contact`: the step
    was the reply of the request's contact person who has no account (its reply row's data, naming the
    address): their rows are the client's, with that data and no user."""
    return _add_all(_stage_rows(portal_request, changes, actor=actor, outside_contact=outside_contact))


def _stage_rows(
    portal_request: PortalRequest,
    changes: list[StatusChange],
    *,
    actor: User | None,
    outside_contact: dict | None = None,
) -> list[dict[str, Any]]:
    rows = []
    for change in changes:
        by = None if change.by_system else actor
        person = outside_contact is not None and not change.by_system
        rows.append(
            {
                "request": portal_request,
                "kind": RequestEvent.Kind.STAGE_CHANGED,
                "author": RequestEvent.Author.CLIENT if person else author_of(by),
                "actor": by,
                "stage": portal_request.stage,
                "status_from": change.status_from,
                "status_to": change.status_to,
                "data": outside_contact if person else {},
            }
        )
    return rows


def migrated(portal_request: PortalRequest, *, actor: User | None, detail: dict) -> RequestEvent:
    """An analyst moved the request's process to another version: versions and timer due times."""
    return _add(
        request=portal_request,
        kind=RequestEvent.Kind.MIGRATED,
        author=author_of(actor),
        actor=actor,
        stage=portal_request.stage,
        data=detail,
    )


def repaired(
    portal_request: PortalRequest, *, actor: User | None, stage: str, note: str, data: dict
) -> RequestEvent:
    """An administrator repaired the process (workflows/repair.py): the action, before and after."""
    return _add(
        request=portal_request,
        kind=RequestEvent.Kind.REPAIRED,
        author=RequestEvent.Author.STAFF,
        actor=actor if getattr(actor, "pk", None) else None,
        stage=stage,
        message=note,
        data=data,
    )


# --------------------------------------------------------------------------------------------------
# Messages (their attachments are bound by the service that writes them)


def question_asked(
    portal_request: PortalRequest, *, staff: User, question: str, data: dict | None = None
) -> RequestEvent:
    """`data`: e.g. the total of a buyout counter-offer the question carries."""
    return _person(portal_request, RequestEvent.Kind.QUESTION, staff, message=question, data=data or {})


def client_replied(
    portal_request: PortalRequest, *, user: User | None, message: str, data: dict | None = None
) -> RequestEvent:
    """`data`: e.g. that the reply came through an e-mail reply link. No `user`: the request's contact
    person who has no account replied by that link (`data` names their address); the row is the client's."""
    return _add(
        request=portal_request,
        kind=RequestEvent.Kind.REPLY,
        author=RequestEvent.Author.CLIENT,
        actor=user,
        stage=portal_request.stage,
        message=message,
        data=data or {},
    )


def comment_added(portal_request: PortalRequest, *, user: User, message: str) -> RequestEvent:
    return _person(portal_request, RequestEvent.Kind.COMMENT, user, message=message)


def internal_note_added(portal_request: PortalRequest, *, staff: User, text: str) -> RequestEvent:
    """Staff's note for each other (internal_notes.py): the client's copy of the history leaves it out
    (selectors.BACK_OFFICE_KINDS)."""
    return _person(portal_request, RequestEvent.Kind.INTERNAL_NOTE, staff, message=text)


def decision_recorded(
    portal_request: PortalRequest,
    *,
    staff: User,
    decision: str,
    message: str,
    conversion: PriceConversion | None = None,
) -> RequestEvent:
    """Staff's decision and their words to the client; an approval that converted the price says so under
    them, in both languages (data["message_en"], as a row the process writes)."""
    data: dict[str, Any] = {"decision": decision}
    if conversion is not None:
        data["conversion"] = conversion.to_data()
        said = {lang: conversion_line(conversion.to_data(), lang=lang) for lang in ("pl", "en")}
        data["message_en"] = "\n\n".join(filter(None, [message, said["en"]]))
        message = "\n\n".join(filter(None, [message, said["pl"]]))
    return _person(portal_request, RequestEvent.Kind.DECISION, staff, message=message, data=data)


# --------------------------------------------------------------------------------------------------
# Staff's hold on the request


def claimed(portal_request: PortalRequest, *, staff: User) -> RequestEvent:
    return _person(portal_request, RequestEvent.Kind.CLAIMED, staff)


def unclaimed(portal_request: PortalRequest, *, staff: User) -> RequestEvent:
    return _person(portal_request, RequestEvent.Kind.UNCLAIMED, staff)


def assigned(portal_request: PortalRequest, *, staff: User, assignee: User) -> RequestEvent:
    """`staff` gave the task to `assignee`: named in the row's data, shown as "Assigned to …" in the
    reader's language (portal_ui/request_display.py)."""
    name = assignee.get_full_name() or assignee.email
    return _person(
        portal_request,
        RequestEvent.Kind.ASSIGNED,
        staff,
        data={"assignee_id": assignee.pk, "assignee_name": name},
    )


# --------------------------------------------------------------------------------------------------
# Written by the process's service tasks (backend/requests_app/effects.py, decision_document.py)


def reminder_sent(
    portal_request: PortalRequest, *, message: str = "", data: dict | None = None
) -> RequestEvent:
    """The process reminded the client; a late one standing for several says so (late_reminder_texts)."""
    return _system(portal_request, RequestEvent.Kind.REMINDER, message=message, data=data or {})


def data_changed(portal_request: PortalRequest, *, changes: dict) -> RequestEvent:
    """The client's record was changed after approval: field → {"old", "new"}."""
    return _system(portal_request, RequestEvent.Kind.DATA_CHANGED, data={"changes": changes})


def document_issued(portal_request: PortalRequest, *, title: str, data: dict) -> RequestEvent:
    """The decision document (`data`: its id and kind, or what renders it while it is pending)."""
    return _system(portal_request, RequestEvent.Kind.DOCUMENT, message=title, data=data)


def rule_failed(portal_request: PortalRequest, *, message: str, data: dict) -> RequestEvent:
    """A decision table's rule was not met (the permit process): why the request came to staff."""
    return _system(portal_request, RequestEvent.Kind.RULE_FAILED, message=message, data=data)


# --------------------------------------------------------------------------------------------------
# A complaint's statutory clock (backend/requests_app/complaints.py)


def deadline_extended(
    portal_request: PortalRequest, *, staff: User | None, message: str, data: dict
) -> RequestEvent:
    """Staff moved the answer deadline (without an assignee the row is the system's)."""
    return _person(portal_request, RequestEvent.Kind.DEADLINE_EXTENDED, staff, message=message, data=data)


def escalated(portal_request: PortalRequest, *, data: dict) -> RequestEvent:
    return _system(portal_request, RequestEvent.Kind.ESCALATED, data=data)


def reply_missed(portal_request: PortalRequest, *, message: str, data: dict) -> RequestEvent:
    """A complaint's wait for the client ended without a reply (data: reply_by, deadline, message_en)."""
    return _system(portal_request, RequestEvent.Kind.NO_REPLY, message=message, data=data)


def deadline_passed(portal_request: PortalRequest, *, data: dict) -> RequestEvent:
    return _system(portal_request, RequestEvent.Kind.DEADLINE_PASSED, data=data)
