"""Turn outbox events into notices and e-mails, each exactly once per recipient.

`create_notifications` is idempotent (unique rows, `ignore_conflicts`), `send_delivery` claims a delivery
with a conditional UPDATE before talking to SMTP. A task redelivered after a worker died therefore makes
no second notice and sends no second e-mail for a delivery already marked sent.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.models import Client
from backend.core.models import OutboxEvent
from backend.core.prepared_writes import insert_rows
from notifications.emails import build_email, send_digest_email
from notifications.models import Delivery, DigestDelivery, Notice, NotificationPreference
from notifications.recipients import BatchReads, Recipient, recipients_for
from notifications.selectors import visible_notices
from notifications.texts import process_versions

logger = logging.getLogger(__name__)

Kind = OutboxEvent.Kind

# A delivery claimed longer ago than this is taken as abandoned by a dead worker and may be re-sent.
SENDING_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10


# "subject" and "final": a message notice names its thread and tells a final answer apart.
_NOTICE_PAYLOAD_KEYS = (
    "request_id",
    "number",
    "stage",
    "status",
    "waiting_for",
    "thread_id",
    "subject",
    "final",
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
        notices += _notices(event, recipients)
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


def _notices(event: OutboxEvent, recipients: list[Recipient]) -> list[Notice]:
    payload = {key: event.payload[key] for key in _NOTICE_PAYLOAD_KEYS if key in event.payload}
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
    """Take the deliveries no one is sending (or whose sender's lease ran out); return the ids taken."""
    now = timezone.now()
    claimable = Q(status=Delivery.Status.PENDING) | Q(
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


def send_delivery(*, delivery_id: int) -> bool:
    """Send one delivery's e-mail unless it is sent or being sent; return whether this call sent it
    (an error of the mail server is raised, for the task's retry)."""
    sent, failures = send_deliveries(delivery_ids=[delivery_id])
    if failures:
        raise failures[0][1]
    return bool(sent)


def send_deliveries(*, delivery_ids: list[int]) -> tuple[list[int], list[tuple[int, Exception]]]:
    """Send the e-mails of the deliveries no one else is sending; return the ids sent and, for each that
    failed, its id and error (it is pending again for its retrying task, or failed for good after
    MAX_ATTEMPTS). Claimed together and marked sent together: two short write transactions for a batch
    instead of two per e-mail (on SQLite each one is a wait for every web step).

    No database transaction is held while SMTP talks: on SQLite that would block every writer. Should
    the worker die between SMTP's acceptance and the final UPDATE, the lease expires and the mail goes
    again with the same Message-ID, which mail clients use to drop the duplicate.
    """
    taken = _claim(delivery_ids)
    if not taken:
        return [], []
    sent: list[int] = []
    failures: list[tuple[int, Exception]] = []
    # One mail server session for the batch (SMTP: one connection, greeting and login, not one per
    # e-mail); it is closed after a failure, so the next e-mail starts a fresh one.
    connection = get_connection()
    try:
        deliveries = list(
            Delivery.objects.select_related("event__client", "recipient").filter(pk__in=taken).order_by("pk")
        )
        versions = process_versions(delivery.event.payload for delivery in deliveries)
        for delivery in deliveries:
            try:
                message = build_email(delivery, versions=versions)
                connection.open()  # nothing while open; a fresh session after a failure closed it
                message.connection = connection
                message.send()
            except Exception as exc:
                connection.close()
                status = (
                    Delivery.Status.FAILED if delivery.attempts >= MAX_ATTEMPTS else Delivery.Status.PENDING
                )
                Delivery.objects.filter(pk=delivery.pk).update(status=status, last_error=repr(exc)[:2000])
                failures.append((delivery.pk, exc))
            else:
                sent.append(delivery.pk)
    finally:
        connection.close()
    if sent:
        Delivery.objects.filter(pk__in=sent).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
        )
    return sent, failures


def list_events_to_renotify(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Return ids of events whose notifications were never made (the process died after commit)."""
    cutoff = timezone.now() - older_than
    return list(
        OutboxEvent.objects.filter(notified_at__isnull=True, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


# Between attempts Celery's own retry (with backoff) owns a failed delivery; the relay steps in only
# when that chain is gone (its task lost or its retries used up) for this long.
ABANDONED_RETRY_AFTER = timedelta(hours=1)


def list_deliveries_to_resend(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Return ids of deliveries whose task was lost, stuck sending past the lease, or whose retries ended."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING, claimed_at__isnull=True, created_at__lt=now - older_than)
            | Q(status=Delivery.Status.PENDING, claimed_at__lt=now - ABANDONED_RETRY_AFTER)
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


def staff_digest_content(*, user: User) -> dict:
    """Return the staff member's open tasks and the unanswered client messages in their inbox."""
    from backend.messaging.models import MessageThread
    from backend.requests_app.models import PortalRequest, RequestStatus

    tasks = list(
        PortalRequest.objects.filter(assignee=user, status=RequestStatus.IN_REVIEW)
        .select_related("client")
        .order_by("staff_due_at", "id")
    )
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
