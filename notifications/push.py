"""Live push of outbox events to the channel layer, run inside the ASGI process.

Why here and not in Celery: with the embedded in-memory channel layer a group_send from the worker
process never reaches the browsers connected to the ASGI process. So every ASGI process that has open
WebSockets runs a small relay loop over committed outbox events. A commit wakes the loops at once through
the outbox listener: those of its own process directly, those of the other processes on the host (another
web process; the Celery worker's timer sweep commits too) by a datagram (relay_wake.py). Every loop also
polls each second, which is all a process on another host gets. Only committed rows are visible to the
loop, so a rolled-back change is never pushed.

Two ways to relay, chosen by the channel layer:
- in-memory layer (the embedded default, one layer per process): each process relays *every* event to
  its own sockets from a cursor of its own (the last outbox id it read; nothing is written), so a socket
  gets its events whichever web process it is connected to and whichever process made the change;
- shared layer (Redis): one relay claims each event (`UPDATE … SET pushed_at WHERE pushed_at IS NULL`,
  one claimer wins) and group_sends it once for every process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from datetime import timedelta

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac

from backend.core.models import OutboxEvent
from backend.core.services import OUTBOX_ACTOR_KEY
from notifications import relay_wake
from notifications.recipients import NOTICE_KINDS

logger = logging.getLogger(__name__)

STAFF_GROUP = "staff"
# Only these payload keys are pushed: ids and stage, nothing a group member could not see anyway.
PUSHED_PAYLOAD_KEYS = ("request_id", "number", "stage", "status", "waiting_for", "thread_id")
# Who acted, as far as the channel layer: each socket turns it into its own `own` flag and drops it
# (consumers.PortalConsumer.portal_event), so no page learns another user's id.
ACTOR_KEY = OUTBOX_ACTOR_KEY


def client_group(client_id: int) -> str:
    return f"client.{client_id}"


def request_group(request_id: int) -> str:
    return f"request.{request_id}"


def session_group(session_key: str) -> str:
    """Name the group of one login session's sockets by a keyed hash: the raw key never reaches Redis."""
    return f"session.{salted_hmac('notifications.session_group', session_key).hexdigest()}"


def poll_seconds() -> float:
    return float(getattr(settings, "LIVE_PUSH_POLL_SECONDS", 1.0))


def max_age() -> timedelta:
    # An event older than this is of no use to an open page (it re-fetches on reconnect anyway).
    return timedelta(seconds=int(getattr(settings, "LIVE_PUSH_MAX_AGE_SECONDS", 120)))


def _is_request_event(event: OutboxEvent) -> bool:
    return event.kind.startswith("request.")


# The back office's alone whatever the row says: a colleague's internal note never reaches a client's or a
# request's group, even were a writer to give its event a client id.
STAFF_ONLY_KINDS = frozenset({OutboxEvent.Kind.REQUEST_INTERNAL_NOTE, OutboxEvent.Kind.MESSAGE_INTERNAL_NOTE})


def groups_for_event(event: OutboxEvent) -> list[str]:
    if event.client_id is None or event.kind in STAFF_ONLY_KINDS:
        # The back office's alone (a request's task or a thread changed hands, a note): not the request's
        # group, where a client's page may watch it.
        return [STAFF_GROUP] if _is_request_event(event) or event.kind.startswith("message.") else []
    groups = [client_group(event.client_id)]
    if _is_request_event(event):
        groups.append(request_group(int(event.payload.get("request_id") or event.subject_id)))
    if _is_request_event(event) or event.kind.startswith("message."):
        groups.append(STAFF_GROUP)
    return groups


def message_for_event(event: OutboxEvent) -> dict:
    body = {
        "id": event.pk,
        "kind": event.kind,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "client_id": event.client_id,
    }
    if _is_request_event(event) or event.kind.startswith("message."):
        body.update({key: event.payload[key] for key in PUSHED_PAYLOAD_KEYS if key in event.payload})
    if event.kind in STAFF_ONLY_KINDS:
        # The pages read this flag, not a list of kinds: a colleague's note refreshes only its own page
        # (staff_live.js).
        body["staff_only"] = True
    # Every pushed kind: the page keeps the message of the user's own action while only their own events
    # arrive (staff_live.js); None is the system (a timer).
    body[ACTOR_KEY] = event.payload.get(OUTBOX_ACTOR_KEY)
    if event.kind not in NOTICE_KINDS:
        # Nobody gets a notice of it (recipients.py: a note, a change of hands, a stored decision document):
        # the bell asks no unread count for it (bell.js).
        body["notice"] = False
    return {"type": "portal.event", "event": body}


def claim_events_to_push(*, limit: int = 100) -> list[OutboxEvent]:
    """Mark up to `limit` committed, unpushed, recent events as pushed and return them (claimer wins)."""
    if not connection.in_atomic_block:  # the relay's long-lived thread must drop broken connections
        close_old_connections()
    recent = OutboxEvent.objects.filter(pushed_at__isnull=True, created_at__gte=timezone.now() - max_age())
    if not recent.exists():  # the cheap read keeps the idle poll from taking SQLite's write lock
        return []
    with transaction.atomic():
        events = list(recent.select_for_update(skip_locked=True).order_by("id")[:limit])
        claimed = [
            event
            for event in events
            if OutboxEvent.objects.filter(pk=event.pk, pushed_at__isnull=True).update(
                pushed_at=timezone.now()
            )
        ]
    return claimed


def expire_stale_push_events() -> int:
    """Mark events too old to push as handled, so the relay's query stays small."""
    cutoff = timezone.now() - max_age()
    return OutboxEvent.objects.filter(pushed_at__isnull=True, created_at__lt=cutoff).update(
        pushed_at=timezone.now()
    )


class OutboxCursor:
    """Where one process's relay is in the outbox: the ids it has pushed to its own sockets.

    On SQLite ids commit in order (one writer). On PostgreSQL a transaction may commit after one with a
    higher id, so each read looks LOOKBACK_IDS ids behind the highest one seen and skips what was sent.
    """

    LOOKBACK_IDS = 100

    def __init__(self) -> None:
        self.last_id: int | None = None
        self.first_id = 0  # the newest id when the relay started: older ones only in the first read
        self.sent: set[int] = set()  # pushed ids within the look-back window

    def read(self, *, limit: int = 100) -> list[OutboxEvent]:
        """Committed, recent events this process has not pushed yet, oldest first; writes nothing."""
        if not connection.in_atomic_block:  # the relay's long-lived thread must drop broken connections
            close_old_connections()
        recent = OutboxEvent.objects.filter(created_at__gte=timezone.now() - max_age())
        if self.last_id is None:
            # The first read starts at the newest id, plus what was committed a moment before the first
            # socket opened (its page loaded its state over HTTP just before).
            self.last_id = self.first_id = OutboxEvent.objects.aggregate(top=Max("id"))["top"] or 0
            recent = recent.filter(created_at__gte=timezone.now() - timedelta(seconds=poll_seconds() + 5))
        else:
            recent = recent.filter(pk__gt=max(self.first_id, self.last_id - self.LOOKBACK_IDS))
        rows = recent.order_by("id")[: limit + self.LOOKBACK_IDS]
        events = [event for event in rows if event.pk not in self.sent][:limit]
        self.sent.update(event.pk for event in events)
        self.last_id = max([self.last_id, *(event.pk for event in events)])
        self.sent = {pk for pk in self.sent if pk > self.last_id - self.LOOKBACK_IDS}
        return events


def relays_every_event() -> bool:
    """A per-process channel layer: every process pushes every event to its own sockets (see module)."""
    return isinstance(get_channel_layer(), InMemoryChannelLayer)


async def push_pending_events(cursor: OutboxCursor | None = None) -> int:
    """Push what is pending (from `cursor`, else by claiming); return how many events were pushed."""
    if cursor is not None:
        events = await sync_to_async(cursor.read, thread_sensitive=True)()
    else:
        events = await sync_to_async(claim_events_to_push, thread_sensitive=True)()
    layer = get_channel_layer()
    for event in events:
        message = message_for_event(event)
        for group in groups_for_event(event):
            await layer.group_send(group, message)
    return len(events)


class PushRelay:
    """The relay loop of one event loop; runs while at least one WebSocket of this process is open."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.wake = asyncio.Event()
        self.connections = 0
        self.task: asyncio.Task | None = None
        self._sending: set[asyncio.Task] = set()

    def attach(self) -> None:
        self.connections += 1
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run())

    def detach(self) -> None:
        self.connections = max(0, self.connections - 1)
        self.wake.set()

    async def _run(self) -> None:
        cursor = OutboxCursor() if relays_every_event() else None
        # Commits of other processes on this host wake the loop too (relay_wake.py); the poll stays.
        listener = relay_wake.listen(self.loop, self.wake.set, self._session_message)
        try:
            while self.connections > 0:
                self.wake.clear()
                try:
                    await push_pending_events(cursor)
                except Exception:  # a database or Redis hiccup must not end the loop
                    logger.exception("Live push relay failed; retrying")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout=poll_seconds())
        finally:
            if listener is not None:
                listener.close()

    def _session_message(self, group: str, message: dict) -> None:
        """Session control sent by another process (a logout there) for this process's sockets."""
        sending = self.loop.create_task(get_channel_layer().group_send(group, message))
        self._sending.add(sending)  # the loop keeps only a weak reference to a task
        sending.add_done_callback(self._sending.discard)


_relays: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, PushRelay] = weakref.WeakKeyDictionary()


def relay_for_running_loop() -> PushRelay:
    loop = asyncio.get_running_loop()
    relay = _relays.get(loop)
    if relay is None:
        relay = _relays[loop] = PushRelay(loop)
    return relay


def wake_push_relays(event_ids: list[int]) -> None:
    """Outbox listener: a commit wakes the relays of this process and of the others on this host now
    instead of at their next poll."""
    for loop, relay in list(_relays.items()):
        if relay.connections and not loop.is_closed():
            loop.call_soon_threadsafe(relay.wake.set)
    relay_wake.wake_other_processes()


# --- session control: a logout or a client switch reaches the open sockets of that session -----------


def send_to_session_sockets(session_key: str, message: dict) -> None:
    """After the current transaction commits, send `message` to every socket of the session, any process."""

    def send() -> None:
        if relays_every_event():
            # In-memory layer: the session's sockets in this process live on the event loops that run a
            # relay, and the layer's queues belong to those loops, so the send is handed to them (an HTTP
            # thread of the WSGI pool has no loop; async_to_sync would run it on a loop of its own).
            for loop, relay in list(_relays.items()):
                if relay.connections and not loop.is_closed():
                    send_there = get_channel_layer().group_send(session_group(session_key), message)
                    asyncio.run_coroutine_threadsafe(send_there, loop)
            # The session's sockets in the other web processes of this host (each has a layer of its own).
            relay_wake.send_session_message(session_group(session_key), message)
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            # Only sync code called on an event loop's own thread gets here (the Playwright tests'
            # main thread), where async_to_sync cannot run. The consumer's per-event session check
            # still keeps the socket from receiving anything the session may no longer see.
            logger.warning("Session control %s not sent: called on an event loop's thread", message["type"])
            return
        try:
            async_to_sync(get_channel_layer().group_send)(session_group(session_key), message)
        except Exception:  # a Redis hiccup must not fail the logout; the per-event check still holds
            logger.exception("Could not send %s to the session's sockets", message["type"])

    transaction.on_commit(send)


def end_session_sockets(sender, request, user, **kwargs) -> None:
    """user_logged_out receiver: close every socket of the session being logged out."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        send_to_session_sockets(session.session_key, {"type": "session.ended"})


def end_sockets_of_sessions(sender, session_keys: list[str], **kwargs) -> None:
    """sessions_ended receiver ("log out of all other devices"): each ended session as at its logout."""
    for session_key in session_keys:
        send_to_session_sockets(session_key, {"type": "session.ended"})


def move_session_sockets(sender, request, client, **kwargs) -> None:
    """active_client_changed receiver: sockets of the session acting for another client reconnect."""
    session = request.session
    # The sockets reconnect at once and read the active client from the session store, so the new
    # choice must be stored before they are told (SessionMiddleware would save it only with the response).
    session.save()
    send_to_session_sockets(session.session_key, {"type": "session.client_changed", "client_id": client.pk})
