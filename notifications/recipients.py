"""Who hears about an outbox event, and how: the one place that decides notices and e-mails per person.

A request's e-mails go to the people it concerns: the user who submitted it and its contact person (a
user of the company with that e-mail address; an address without an account gets only "we are waiting
for your reply"). Every active user of the company still gets the in-portal notice, except whoever made
the stage change themselves (no notice, no e-mail). Each person's preferences switch e-mail kinds off,
never notices. Staff hear about tasks that come back to them and about client messages, when they opted
in, and about a message thread a colleague gave them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from backend.accounts.account_emails import AccountEmail
from backend.accounts.models import User
from backend.accounts.supervisors import supervisors
from backend.clients.access_rules import Area
from backend.core.models import OutboxEvent
from backend.core.prepared_reads import PreparedRead
from notifications.batch_reads import BatchReads, with_defaults
from notifications.models import NotificationPreference

Kind = OutboxEvent.Kind
# Written by the staff inbox (messaging services); spelled out so this module does not depend on its enum.
MESSAGE_RECEIVED = "message.received"

# Stage changes that come with their own event in the same commit (waiting → "waiting for your reply",
# approved/rejected → "decision"): that event tells it, once.
_STATUSES_WITH_OWN_EVENT = {"waiting_for_client", "approved", "rejected"}
# Statuses that follow a decision in the same step (approve → complete): the decision supersedes them.
_STATUSES_AFTER_DECISION = {"completed"}

# The e-mail template of each event kind and the preference field that switches it off.
EMAIL_KINDS: dict[str, tuple[str, str]] = {
    Kind.REQUEST_STAGE_CHANGED: ("stage_changed", "email_stage_changed"),
    Kind.REQUEST_WAITING_FOR_CLIENT: ("waiting_for_client", "email_waiting_for_client"),
    Kind.REQUEST_REMINDER: ("reminder", "email_reminder"),
    Kind.REQUEST_DECIDED: ("decided", "email_decided"),
    Kind.MESSAGE_ANSWERED: ("message_answered", "email_message_answered"),
    # Customer service wrote on the request (a comment, a complaint's extended deadline, a revoked permit):
    # news about the request, switched with its stage changes.
    Kind.REQUEST_COMMENT: ("comment", "email_stage_changed"),
}
NOTICE_KINDS = set(EMAIL_KINDS)
# The area a client's e-mail preference is about, as its events are addressed below (a request's to who may
# use requests, an answered message's to who may use messages): the account page asks a user only about
# the e-mails one of their companies can send them.
PREFERENCE_AREAS: dict[str, str] = {
    preference: Area.MESSAGES if kind.startswith("message.") else Area.REQUESTS
    for kind, (_template, preference) in EMAIL_KINDS.items()
}
# A request the process cancelled for want of a reply (its day-30 timer; no person made the change): an end
# the client must hear of, told on its own, switched with the decisions (not with the stage changes).
AUTO_CANCEL_TEMPLATE, AUTO_CANCEL_PREFERENCE = "auto_cancelled", "email_decided"
AUTO_CANCEL_CONTACT_TEMPLATE = "auto_cancelled_for_contact"  # the outside contact person was asked too
# The e-mails of a contact person outside the portal (a bare address): the question, and its reminder with a
# fresh reply link (the question's own link expires the day the reminder goes).
CONTACT_ADDRESS_TEMPLATES = {
    Kind.REQUEST_WAITING_FOR_CLIENT: "waiting_for_contact",
    Kind.REQUEST_REMINDER: "reminder_for_contact",
}
# A complaint back with staff for want of the client's reply (BatchReads.reply_missed): the client is told
# that and when the answer comes, not "new stage"; switched with the stage changes.
REPLY_MISSED_TEMPLATE = "reply_missed"
TASK_TEMPLATE, TASK_PREFERENCE = "task_assigned", "email_task_assigned"
TASK_CANCELLED_TEMPLATE = "task_cancelled"  # switched with TASK_PREFERENCE: my task ended without me
# The assignee's e-mail for a stage change of their request: back in review (a task waiting for them) or
# cancelled by someone else (the day-30 timer for no reply, the client's withdrawal: nothing to decide).
_ASSIGNEE_TEMPLATES = {"in_review": TASK_TEMPLATE, "cancelled": TASK_CANCELLED_TEMPLATE}
THREAD_ASSIGNED_TEMPLATE = "thread_assigned"  # switched with TASK_PREFERENCE: work given to me
REQUEST_ASSIGNED_TEMPLATE = "request_assigned"  # the same, for a request's task
NEW_MESSAGE_TEMPLATE, NEW_MESSAGE_PREFERENCE = "new_message", "email_new_message"


@dataclass(frozen=True)
class Recipient:
    """A user (notice and/or e-mail) or, with `user` None, a bare e-mail address."""

    user: User | None
    address: str = ""
    notice: bool = False
    template: str | None = None  # the e-mail to send; None: no e-mail


def preferences_of(users: list[User]) -> dict[int, NotificationPreference]:
    """Return each user's preferences; a user who never saved any gets the defaults (unsaved)."""
    saved = {pref.user_id: pref for pref in NotificationPreference.objects.filter(user__in=users)}
    return with_defaults(users, saved)


def _preference_of(user: User) -> NotificationPreference:
    """One user's preferences (a prepared read: the worker asks for every task coming back to staff)."""
    return _PREFERENCE_OF_USER.first(user_id=user.pk) or NotificationPreference(user=user)


_PREFERENCE_OF_USER = PreparedRead(
    lambda user_id: NotificationPreference.objects.filter(user_id=user_id)[:1], ints=("user_id",)
)


def _superseded_by_decision(event: OutboxEvent) -> bool:
    return bool(
        _DECISION_UNTIL.first(
            subject_type=event.subject_type, subject_id=event.subject_id, until=event.created_at
        )
    )


# Read for every request closed after a decision: compiled once per connection (core/prepared_reads.py).
_DECISION_UNTIL = PreparedRead(
    lambda subject_type, subject_id, until: (
        OutboxEvent.objects.filter(
            kind=Kind.REQUEST_DECIDED, subject_type=subject_type, subject_id=subject_id, created_at__lte=until
        )
        .only("id")
        .order_by("id")[:1]
    ),
    ints=("subject_id",),
    strs=("subject_type",),
    datetimes=("until",),
)


def _with_emails(
    reads: BatchReads,
    client_id: int,
    company: list[User],
    mailed: dict[int, str],
    *,
    notice: bool,
    preference: str,
) -> list[Recipient]:
    """Notices for the whole company, e-mails for `mailed` (user id → template) whose preference allows."""
    by_id = {user.pk: user for user in company}
    addressed = [by_id[pk] for pk in mailed if pk in by_id]
    prefs = reads.company_preferences(client_id, addressed) if addressed else {}
    result = []
    for user in company:
        template = mailed.get(user.pk)
        if template is not None and not getattr(prefs[user.pk], preference):
            template = None
        if notice or template:
            result.append(Recipient(user=user, notice=notice, template=template))
    return result


def _request_recipients(event: OutboxEvent, reads: BatchReads) -> list[Recipient]:
    payload = event.payload or {}
    status = payload.get("status")
    if event.kind == Kind.REQUEST_STAGE_CHANGED:
        if status in _STATUSES_WITH_OWN_EVENT:
            return []
        if status in _STATUSES_AFTER_DECISION and _superseded_by_decision(event):
            return []
    portal_request = reads.request(event)
    contract_id = portal_request.contract_id if portal_request is not None else None
    author_id = portal_request.submitted_by_id if portal_request is not None else None
    company = reads.company_users(
        event.client_id, area=Area.REQUESTS, contract_id=contract_id, subject_author_id=author_id
    )
    template, preference = EMAIL_KINDS[event.kind]
    if portal_request is None:  # nothing to address: the portal still shows the notice
        return _with_emails(reads, event.client_id, company, {}, notice=True, preference=preference)
    change = reads.stage_change(event)  # who made it: None for the system (a timer)
    actor_id = change.actor_id if change is not None else None
    auto_cancelled = event.kind == Kind.REQUEST_STAGE_CHANGED and status == "cancelled" and actor_id is None
    if auto_cancelled:
        template, preference = AUTO_CANCEL_TEMPLATE, AUTO_CANCEL_PREFERENCE
    elif reads.reply_missed(event):
        template = REPLY_MISSED_TEMPLATE

    members = {user.pk: user for user in company}
    concerned = [portal_request.submitted_by_id]
    contact_email = (portal_request.contact_email or "").strip().lower()
    contact_user = next((user for user in company if user.email.lower() == contact_email), None)
    if contact_user is not None:
        concerned.append(contact_user.pk)
    # Nobody hears about a stage change they made themselves (their own submission, reply or withdrawal):
    # neither a notice nor an e-mail; the company's other users still get theirs.
    mailed = {pk: template for pk in concerned if pk in members and pk != actor_id}
    others = [user for user in company if user.pk != actor_id]
    result = _with_emails(reads, event.client_id, others, mailed, notice=True, preference=preference)
    # A bare address: a person outside the portal. An address of a portal account that is not among the
    # company's users with access here (suspended, removed, another company's) gets nothing: its reply link
    # would be refused (backend/requests_app/reply_links.py: may_reply), and the question is the company's,
    # not theirs any more.
    contact_template = (
        AUTO_CANCEL_CONTACT_TEMPLATE if auto_cancelled else CONTACT_ADDRESS_TEMPLATES.get(event.kind)
    )
    if (
        contact_user is None
        and contact_email
        and contact_template is not None
        and not User.objects.filter(email__iexact=contact_email).exists()
    ):
        result.append(Recipient(user=None, address=contact_email, template=contact_template))
    result.extend(_assignee_recipients(event, portal_request, actor_id))
    return result


def _assignee_recipients(event: OutboxEvent, portal_request, actor_id: int | None) -> list[Recipient]:
    """A request back in review with a staff member assigned is a task waiting for them; one cancelled by
    anyone else (_ASSIGNEE_TEMPLATES) is a task gone. An e-mail: the back office sees no client's notices
    (selectors.visible_notices)."""
    assignee = portal_request.assignee
    template = _ASSIGNEE_TEMPLATES.get((event.payload or {}).get("status"))
    if (
        event.kind != Kind.REQUEST_STAGE_CHANGED
        or template is None
        or assignee is None
        or not (assignee.is_active and assignee.is_back_office)
        or assignee.pk == actor_id
        or not getattr(_preference_of(assignee), TASK_PREFERENCE)
    ):
        return []
    return [Recipient(user=assignee, template=template)]


def _message_answered_recipients(event: OutboxEvent, reads: BatchReads) -> list[Recipient]:
    from backend.messaging.models import MessageThread

    thread_id = (event.payload or {}).get("thread_id") or event.subject_id
    thread = MessageThread.objects.filter(pk=thread_id, client_id=event.client_id).first()
    template, preference = EMAIL_KINDS[Kind.MESSAGE_ANSWERED]
    mailed = {thread.created_by_id: template} if thread is not None else {}
    company = reads.company_users(
        event.client_id,
        area=Area.MESSAGES,
        contract_id=thread.contract_id if thread is not None else None,
        subject_author_id=thread.created_by_id if thread is not None else None,
    )
    return _with_emails(reads, event.client_id, company, mailed, notice=True, preference=preference)


def _message_received_recipients(event: OutboxEvent) -> list[Recipient]:
    """The thread's assignee, or (unassigned) every active staff member, if they asked for these e-mails."""
    from backend.messaging.models import MessageThread

    thread_id = (event.payload or {}).get("thread_id") or event.subject_id
    thread = MessageThread.objects.filter(pk=thread_id, client_id=event.client_id).first()
    if thread is None:
        return []
    assignee_id = getattr(thread, "assignee_id", None)
    staff = User.objects.filter(is_active=True, role=User.Role.STAFF)
    if assignee_id is not None:
        staff = User.objects.filter(
            pk=assignee_id, is_active=True, role__in=[User.Role.STAFF, User.Role.ADMIN]
        )
    staff = list(staff.order_by("id"))
    prefs = preferences_of(staff)
    return [
        Recipient(user=user, template=NEW_MESSAGE_TEMPLATE)
        for user in staff
        if getattr(prefs[user.pk], NEW_MESSAGE_PREFERENCE)
    ]


def _given_work_recipients(event: OutboxEvent, template: str = THREAD_ASSIGNED_TEMPLATE) -> list[Recipient]:
    """A thread (or a request's task) a colleague gave to a staff member is work waiting for them, like a
    task assigned: an e-mail (same preference). Taking it oneself or releasing it mails nobody; nobody gets
    a notice."""
    payload = event.payload or {}
    assignee_id = payload.get("assignee_id")
    if not isinstance(assignee_id, int) or assignee_id == payload.get("by_id"):
        return []
    assignee = User.objects.filter(pk=assignee_id).first()
    if (
        assignee is None
        or not (assignee.is_active and assignee.is_back_office)
        or not getattr(_preference_of(assignee), TASK_PREFERENCE)
    ):
        return []
    return [Recipient(user=assignee, template=template)]


def _account_email_recipients(event: OutboxEvent) -> list[Recipient]:
    """An e-mail about a user's own account goes to that user alone, while active; no notice."""
    email = (event.payload or {}).get("email")
    if email not in set(AccountEmail):
        return []
    user = User.objects.filter(pk=event.subject_id, is_active=True).first()
    return [Recipient(user=user, template=email)] if user is not None else []


# A complaint near or past its statutory deadline: an e-mail to each supervisor (back office only).
SUPERVISOR_TEMPLATES = {
    Kind.COMPLAINT_ESCALATED: "complaint_escalated",
    Kind.COMPLAINT_DEADLINE_PASSED: "complaint_deadline_passed",
}


# A request still with staff past its due time (backend/requests_app/overdue.py): not switched off by a
# preference, as the supervisors' complaint e-mails are not.
STAFF_OVERDUE_TEMPLATE = "request_overdue"


def _staff_overdue_recipients(event: OutboxEvent) -> list[Recipient]:
    """The request's assignee named in the event, while an active back-office user; else the team's address
    (CUSTOMER_SERVICE_EMAIL), where a request nobody has taken is seen."""
    assignee_id = (event.payload or {}).get("assignee_id")
    assignee = User.objects.filter(pk=assignee_id).first() if isinstance(assignee_id, int) else None
    if assignee is not None and assignee.is_active and assignee.is_back_office:
        return [Recipient(user=assignee, template=STAFF_OVERDUE_TEMPLATE)]
    address = getattr(settings, "CUSTOMER_SERVICE_EMAIL", "")
    return [Recipient(user=None, address=address, template=STAFF_OVERDUE_TEMPLATE)] if address else []


def recipients_for(*, event: OutboxEvent, reads: BatchReads | None = None) -> list[Recipient]:
    """Return who gets a notice and/or an e-mail about the event (at most one e-mail each). `reads`: the
    reads of the event's batch, shared with its other events (a fresh set when None)."""
    reads = reads if reads is not None else BatchReads()
    if event.kind in SUPERVISOR_TEMPLATES:
        return [Recipient(user=user, template=SUPERVISOR_TEMPLATES[event.kind]) for user in supervisors()]
    if event.kind == Kind.ACCOUNT_EMAIL:
        return _account_email_recipients(event)
    if event.kind == Kind.REQUEST_STAFF_OVERDUE:
        return _staff_overdue_recipients(event)
    if event.kind == Kind.INVOICE_ISSUED:
        # The client's first invoice opens access: every user of the company gets the welcome e-mail.
        if (event.payload or {}).get("first_for_client") is True:
            return [Recipient(user=user, template="welcome") for user in reads.company_users(event.client_id)]
        return []
    if event.kind in {
        Kind.REQUEST_STAGE_CHANGED,
        Kind.REQUEST_WAITING_FOR_CLIENT,
        Kind.REQUEST_REMINDER,
        Kind.REQUEST_DECIDED,
    }:
        return _request_recipients(event, reads)
    if event.kind == Kind.REQUEST_COMMENT:
        # What staff write reaches the client; the client's own comments go to staff through the live page.
        return _request_recipients(event, reads) if (event.payload or {}).get("author") == "staff" else []
    if event.kind == Kind.MESSAGE_ANSWERED:
        return _message_answered_recipients(event, reads)
    if event.kind == MESSAGE_RECEIVED:
        return _message_received_recipients(event)
    if event.kind == Kind.MESSAGE_ASSIGNED:
        return _given_work_recipients(event)
    if event.kind == Kind.REQUEST_ASSIGNED:
        return _given_work_recipients(event, REQUEST_ASSIGNED_TEMPLATE)
    return []
