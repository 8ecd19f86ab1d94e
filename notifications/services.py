"""Turn outbox events into notices and e-mails, each exactly once per recipient.

`create_notifications` is idempotent (unique rows, `ignore_conflicts`), `send_delivery` claims a delivery
with a conditional UPDATE before talking to SMTP. A task redelivered after a worker died therefore makes
no second notice and sends no second e-mail for a delivery already marked sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.models import Client
from backend.core.models import OutboxEvent
from backend.core.prepared_writes import insert_rows
from notifications.batch_reads import BatchReads
from notifications.email_rendering import EmailNotNeeded
from notifications.emails import build_email
from notifications.models import Delivery, DigestDelivery, Notice, NotificationPreference
from notifications.recipients import Recipient, recipients_for
from notifications.selectors import visible_notices
from notifications.staff_emails import send_digest_email
from notifications.texts import process_versions

logger = logging.getLogger(__name__)

Kind = OutboxEvent.Kind

# A delivery claimed longer ago than this is taken as abandoned by a dead worker and may be re-sent.
SENDING_LEASE = timedelta(minutes=10)
# A failed e-mail waits 1, 2, 4 … minutes (at most an hour) before its next attempt; after MAX_ATTEMPTS
# (about four hours of trying) it is failed for good, listed on the dashboard for an operator's resend.
MAX_ATTEMPTS = 10
RETRY_DELAY_FIRST = timedelta(minutes=1)
RETRY_DELAY_MAX = timedelta(hours=1)


# "subject" and "final": a message notice names its thread and tells a final answer apart; "message_id":
# its link opens the thread on that message (texts.subject_path).
_NOTICE_PAYLOAD_KEYS = (
    "request_id",
    "number",
    "stage",
    "status",
    "waiting_for",
    "thread_id",
    "message_id",
    "subject",
    "final",
    "offer_expired_on",  # a reminder of a counter-offer past its date (texts.notice_title says so)
)


def create_notifications(*, event_id: int) -> list[int]:
    """Create the event's notices and delivery rows once; return the ids of deliveries still to send."""
    return create_notifications_for_events(event_ids=[event_id])


@transaction.atomic
def create_notifications_for_events(*, event_ids: list[int]) -> list[int]:
    """The same for the events of a batch, in one transaction: their rows read, marked and their pending
    e-mails listed in one statement each, no savepoint per event (on SQLite every statement is one more
    wait for the web's writers); an error rolls the whole batch back for its retry. Ids without a row
    (gone since) are skipped."""
    events = OutboxEvent.objects.in_bulk(event_ids)
    return _make_notifications([events[pk] for pk in dict.fromkeys(event_ids) if pk in events])


def _make_notifications(events: list[OutboxEvent]) -> list[int]:
    """Make each event's rows unless made already, mark the events (rows and mark commit together), and
    return the ids of their deliveries still pending."""
    reads = BatchReads()
    notices: list[Notice] = []
    deliveries: list[Delivery] = []
    may_mail = []
    for event in events:
        if event.notified_at is not None:
            # Made already: recipients are not worked out again from a state that has moved on since (a
            # redelivered task must not reach someone new); its e-mails may still wait.
            may_mail.append(event.pk)
            continue
        recipients = recipients_for(event=event, reads=reads)
        notices += _notices(event, recipients, reads)
        deliveries += _deliveries(event, recipients)
        if any(recipient.template for recipient in recipients):
            may_mail.append(event.pk)
    # The batch's rows in one INSERT each (per 500 rows), skipping the rows a redelivered task made already
    # (core/prepared_writes.py).
    insert_rows(notices, ignore_conflicts=True)
    insert_rows(deliveries, ignore_conflicts=True)
    unmarked = [event.pk for event in events if event.notified_at is None]
    if unmarked:
        OutboxEvent.objects.filter(pk__in=unmarked, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    if not may_mail:
        return []
    return list(
        Delivery.objects.filter(event_id__in=may_mail, status=Delivery.Status.PENDING)
        .order_by("id")
        .values_list("id", flat=True)
    )


def _notices(event: OutboxEvent, recipients: list[Recipient], reads: BatchReads) -> list[Notice]:
    payload = {key: event.payload[key] for key in _NOTICE_PAYLOAD_KEYS if key in event.payload}
    portal_request = reads.request(event) if recipients and event.kind.startswith("request.") else None
    if portal_request is not None:  # the notice names it by its kind's noun (texts.notice_title)
        payload["request_kind"] = portal_request.kind
    if recipients and reads.reply_missed(event):
        # A complaint back with staff for want of the client's reply: the notice says so and when the
        # answer comes (texts.notice_title), as its e-mail does (recipients.REPLY_MISSED_TEMPLATE).
        payload["reply_missed"] = reads.reply_missed(event)
    return [
        Notice(
            recipient=recipient.user,
            event=event,
            kind=event.kind,
            client_id=event.client_id,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            payload=payload,
        )
        for recipient in recipients
        if recipient.notice and recipient.user is not None
    ]


def _deliveries(event: OutboxEvent, recipients: list[Recipient]) -> list[Delivery]:
    return [
        Delivery(
            event=event,
            recipient=recipient.user,
            address=recipient.user.email if recipient.user is not None else recipient.address,
            template=recipient.template,
        )
        for recipient in recipients
        if recipient.template
    ]


def _claim(delivery_ids: list[int]) -> list[int]:
    """Take the deliveries due now that no one is sending (or whose sender's lease ran out); return the
    ids taken. The claim is the attempt: it counts one, and what it takes is tried at once. A pending
    delivery waiting out its back-off (next_retry_at) is not due, so the copies of a task that beat
    re-queued while the worker was away find nothing to take and spend no attempt."""
    now = timezone.now()
    due = Q(next_retry_at__isnull=True) | Q(next_retry_at__lte=now)
    claimable = Q(due, status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - SENDING_LEASE
    )
    with transaction.atomic():
        taken = list(
            Delivery.objects.select_for_update()
            .filter(claimable, pk__in=delivery_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=taken).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return taken


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most RETRY_DELAY_MAX."""
    return min(RETRY_DELAY_FIRST * 2 ** max(attempts - 1, 0), RETRY_DELAY_MAX)


def _record_failure(delivery: Delivery, exc: Exception) -> None:
    """Keep the error on the row; pending again after its back-off, or failed for good after MAX_ATTEMPTS."""
    if delivery.attempts >= MAX_ATTEMPTS:
        status, next_retry_at = Delivery.Status.FAILED, None
    else:
        status, next_retry_at = Delivery.Status.PENDING, timezone.now() + retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status, next_retry_at=next_retry_at, last_error=repr(exc)[:2000]
    )


def send_delivery(*, delivery_id: int) -> bool:
    """Send one delivery's e-mail unless it is sent, being sent or waiting out its back-off; return
    whether this call sent it (a failure is recorded on the row, then raised)."""
    sent, failures = send_deliveries(delivery_ids=[delivery_id])
    if failures:
        raise failures[0][1]
    return bool(sent)


def send_deliveries(*, delivery_ids: list[int]) -> tuple[list[int], list[tuple[int, Exception]]]:
    """Send the e-mails of the deliveries due that no one else is sending; return the ids sent and, for
    each that failed, its id and error (recorded on the row: pending again with its next_retry_at, which
    beat's relay_outbox honours, or failed for good after MAX_ATTEMPTS). Claimed together and marked sent
    together: two short write transactions for a batch instead of two per e-mail (on SQLite each one is
    a wait for every web step).

    No database transaction is held while SMTP talks: on SQLite that would block every writer. Should
    the worker die between SMTP's acceptance and the final UPDATE, the lease expires and the mail goes
    again with the same Message-ID, which mail clients use to drop the duplicate.
    """
    taken = _claim(delivery_ids)
    if not taken:
        return [], []
    sent: list[int] = []
    failures: list[tuple[int, Exception]] = []
    not_needed: list[tuple[int, str]] = []
    deliveries = list(
        Delivery.objects.select_related("event__client", "recipient").filter(pk__in=taken).order_by("pk")
    )
    versions = process_versions(delivery.event.payload for delivery in deliveries)
    # One mail server session for the batch (SMTP: one connection, greeting and login, not one per
    # e-mail); it is closed after a failure, so the next e-mail starts a fresh one. Made inside each
    # e-mail's try: a mail configuration that cannot even make a connection (a broken mail folder, a bad
    # backend) is that e-mail's recorded failure, not a claim left "sending" with no error.
    connection = None
    try:
        for delivery in deliveries:
            try:
                message = build_email(delivery, versions=versions)
                if connection is None:
                    connection = get_connection()
                connection.open()  # nothing while open; a fresh session after a failure closed it
                message.connection = connection
                message.send()
            except EmailNotNeeded as exc:
                not_needed.append((delivery.pk, exc.reason))  # nothing went out: no attempt spent on it
            except Exception as exc:
                if connection is not None:
                    connection.close()
                _record_failure(delivery, exc)
                failures.append((delivery.pk, exc))
            else:
                sent.append(delivery.pk)
    finally:
        if connection is not None:
            connection.close()
    if sent:
        Delivery.objects.filter(pk__in=sent).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), next_retry_at=None, last_error=""
        )
    for delivery_id, reason in not_needed:
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.SKIPPED, next_retry_at=None, last_error=reason[:1000]
        )
    return sent, failures


@transaction.atomic
def resend_deliveries(*, delivery_ids: list[int]) -> list[int]:
    """An operator's "Resend": the deliveries not sent (failed, or pending in their back-off) are due now,
    for the caller to queue after commit (dispatch.send_deliveries_soon; else beat's relay sends them
    within a minute); return their ids. A failed one gets one more attempt: should it fail again it is
    failed again, with the new error. Sent ones and ones being sent are left alone (no second e-mail)."""
    resendable = list(
        Delivery.objects.select_for_update()
        .filter(pk__in=delivery_ids, status__in=[Delivery.Status.FAILED, Delivery.Status.PENDING])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=resendable).update(
        status=Delivery.Status.PENDING, next_retry_at=timezone.now()
    )
    return resendable


def list_events_to_renotify(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Return ids of events whose notifications were never made (the process died after commit)."""
    cutoff = timezone.now() - older_than
    return list(
        OutboxEvent.objects.filter(notified_at__isnull=True, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def list_deliveries_to_resend(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Return ids of deliveries to send now: never tried (their task was lost), due after their back-off,
    or stuck sending past the lease."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING, next_retry_at__isnull=True, created_at__lt=now - older_than)
            | Q(status=Delivery.Status.PENDING, next_retry_at__lte=now)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - SENDING_LEASE)
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def mark_notice_read(*, user: User, client: Client | None, notice_id: int) -> Notice | None:
    notice = visible_notices(user=user, client=client).filter(pk=notice_id).first()
    if notice is not None and notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def mark_all_notices_read(*, user: User, client: Client | None) -> int:
    unread = visible_notices(user=user, client=client).filter(read_at__isnull=True)
    return unread.update(read_at=timezone.now())


def mark_notices_about_read(*, user: User, subject) -> int:
    """Mark the user's unread notices about `subject` (a thread the user has just opened) read."""
    unread = Notice.objects.filter(
        recipient=user, subject_type=subject._meta.label_lower, subject_id=subject.pk, read_at__isnull=True
    )
    ids = list(unread.values_list("pk", flat=True))
    if not ids:  # most opens: a read, no write transaction (SQLite's one writer)
        return 0
    return Notice.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())


# --------------------------------------------------------------------------------------------------
# Preferences


PREFERENCE_FIELDS = (
    "email_stage_changed",
    "email_waiting_for_client",
    "email_decided",
    "email_message_answered",
    "email_reminder",
    "email_task_assigned",
    "email_new_message",
    "daily_digest",
)


@transaction.atomic
def set_notification_preferences(*, user: User, **choices: bool) -> NotificationPreference:
    """Save which e-mails the user wants; fields not given keep their value (the default when new)."""
    unknown = set(choices) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown notification preferences: {sorted(unknown)}")
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    for field, value in choices.items():
        setattr(preference, field, bool(value))
    preference.save()
    return preference


# --------------------------------------------------------------------------------------------------
# Daily digest of staff


@dataclass(frozen=True)
class DigestTask:
    """A line of the digest: the task, staff's due time (the task list's "Due"), a complaint's statutory
    answer deadline, and whether either has passed."""

    request: object  # a PortalRequest
    due_at: datetime | None
    complaint_deadline: date | None
    overdue: bool


def staff_digest_content(*, user: User) -> dict:
    """Return the staff member's open tasks (overdue first, then by due time) and the unanswered client
    messages in their inbox."""
    from backend.messaging.models import MessageThread
    from backend.requests_app.complaints import clock_of
    from backend.requests_app.models import PortalRequest, RequestStatus

    now = timezone.now()
    tasks = []
    for task in (
        PortalRequest.objects.filter(assignee=user, status=RequestStatus.IN_REVIEW)
        .select_related("client")
        .order_by("staff_due_at", "id")
    ):
        clock = clock_of(task)  # None but for a complaint
        tasks.append(
            DigestTask(
                request=task,
                due_at=task.staff_due_at,
                complaint_deadline=clock.deadline if clock is not None else None,
                overdue=(task.staff_due_at is not None and task.staff_due_at < now)
                or (clock is not None and clock.days_left < 0),
            )
        )
    tasks.sort(key=lambda line: not line.overdue)  # stable: by due time within each group
    threads = MessageThread.objects.filter(status=MessageThread.Status.OPEN).select_related("client")
    if any(field.name == "assignee" for field in MessageThread._meta.fields):
        # Once threads have assignees (staff inbox), a digest lists the reader's and the unassigned ones.
        threads = threads.filter(Q(assignee=user) | Q(assignee__isnull=True))
    return {"tasks": tasks, "threads": list(threads.order_by("last_message_at", "id"))}


def _claim_digest(digest_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - SENDING_LEASE
    )
    return bool(
        DigestDelivery.objects.filter(claimable, pk=digest_id).update(
            status=Delivery.Status.SENDING, claimed_at=now
        )
    )


def send_staff_digest(*, user: User, day: date) -> bool:
    """Send the user's digest of `day` unless it went already (or there is nothing to list)."""
    content = staff_digest_content(user=user)
    if not content["tasks"] and not content["threads"]:
        return False
    digest, _created = DigestDelivery.objects.get_or_create(recipient=user, day=day)
    if not _claim_digest(digest.pk):
        return False
    try:
        send_digest_email(digest=digest, content=content)
    except Exception:
        DigestDelivery.objects.filter(pk=digest.pk).update(status=Delivery.Status.PENDING)
        raise
    DigestDelivery.objects.filter(pk=digest.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    return True


def list_digest_recipients() -> list[User]:
    """Active staff members who asked for the daily digest."""
    return list(
        User.objects.filter(
            is_active=True,
            role__in=[User.Role.STAFF, User.Role.ADMIN],
            notification_pref__daily_digest=True,
        ).order_by("id")
    )
