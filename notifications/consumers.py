"""The portal's one WebSocket: live events for the client the user acts for, or for staff.

Close codes the page may see:
- 4403: refused at the handshake (not logged in, no client, session older than SESSION_ABSOLUTE_AGE);
  the browser sees a failed handshake.
- 4401: the session ended (logout in another tab, expiry, password change): nothing more is sent.
- 4409: the session now acts for another client: reconnect, and the new socket follows that client.
- 1013 (try again later): the channel layer (Redis) or the database is unavailable; a socket being opened
  is refused at the handshake. `SocketOutageGuard` logs one warning line naming the part instead of an
  "Exception in ASGI application" traceback per reconnect; the page keeps retrying.

A frame the socket cannot use (binary, empty, not JSON, not a JSON object, longer than MAX_FRAME_CHARS)
is ignored: it is logged as a warning and answered with {"type": "error", "code": "invalid_frame"}; the
socket stays open. A broken or hostile page therefore never crashes the consumer, and a legitimate page
that sent one bad frame keeps its live updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from dataclasses import dataclass
from importlib import import_module

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.utils.crypto import constant_time_compare
from redis.exceptions import RedisError

from backend.accounts.second_factor import session_meets_second_factor
from backend.clients import access_rules
from backend.clients.active import resolve_membership
from backend.core.exceptions import is_database_outage
from backend.core.ids import MAX_ID, MIN_ID
from backend.core.middleware import session_outlived
from backend.requests_app.models import PortalRequest
from notifications.live_cursor import committed_window, cursor_of
from notifications.push import (
    ACTOR_KEY,
    STAFF_GROUP,
    client_group,
    relay_for_running_loop,
    request_group,
    session_group,
)
from notifications.subjects import event_subject

CLOSE_NOT_ALLOWED = 4403
CLOSE_SESSION_ENDED = 4401
CLOSE_CLIENT_CHANGED = 4409
CLOSE_TRY_AGAIN_LATER = 1013
# The page only ever sends {"action": "watch_request", "request_id": n}: a few dozen characters.
MAX_FRAME_CHARS = 4096

logger = logging.getLogger(__name__)


def resolve_active_client_id(user, session) -> int | None:
    """Return the client the session acts for, re-checking membership (the same resolver as every request)."""
    membership = resolve_membership(user=user, session=session)
    return membership.client_id if membership is not None else None


def _object_visible(membership, contract_id: int | None, author_id: int | None) -> bool:
    return access_rules.object_visible(
        access_rules.visible_contract_ids(membership),
        contract_id=contract_id,
        author_id=author_id,
        user_id=membership.user_id,
    )


def client_may_see_request(*, client_id: int, request_id: int, membership=None) -> bool:
    """The request is the client's and, with a membership, within its role and contracts."""
    row = (
        PortalRequest.objects.filter(pk=request_id, client_id=client_id)
        .values_list("contract_id", "submitted_by_id")
        .first()
    )
    if row is None:
        return False
    if membership is None:
        return True
    return access_rules.can(membership, access_rules.Area.REQUESTS) and _object_visible(membership, *row)


def membership_may_receive(membership, event: dict) -> bool:
    """Whether the role and contracts of the socket's membership cover the pushed event (the bell's rule:
    notifications/subjects.py).

    The event is already the socket's client's; a membership that sees all contracts needs no read.
    """
    if membership is None:
        return False
    subject = event_subject(event)
    if subject is None:
        return True
    rule, raw_id = subject
    if not access_rules.can(membership, rule.area):
        return False
    model = rule.contract_scoped_model
    if model is None or access_rules.visible_contract_ids(membership) is None:
        return True
    subject_id = _request_id(raw_id)
    if subject_id is None:
        return False
    row = (
        model.objects.filter(pk=subject_id, client_id=membership.client_id)
        .values_list("contract_id", rule.author_field)
        .first()
    )
    return row is not None and _object_visible(membership, *row)


def _request_id(value) -> int | None:
    """Return a positive id that fits a database integer; None for anything else (1e400, 10**30, true)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if MIN_ID <= number <= MAX_ID else None


@dataclass(frozen=True)
class SessionState:
    valid: bool
    client_id: int | None = None
    membership: object | None = None  # the ClientMembership the session acts through (client users)
    back_office: bool = False  # the user is staff, analyst or admin now (a role changed since the handshake)


def read_session_state(*, session_key: str, user_id: int) -> SessionState:
    """Re-read the socket's session from the store: still this user's login, and acting for which client.

    The same checks as at the handshake (channels.auth.get_user): the session exists and has not
    expired, names this user and an allowed backend, the user is active and the password-derived hash
    still matches. A missing, expired, flushed or cycled session is invalid, and so is one older than
    SESSION_ABSOLUTE_AGE (its next HTTP request would log it out).
    """
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if str(session.get(SESSION_KEY, "")) != str(user_id) or session_outlived(session):
        return SessionState(valid=False)
    backend_path = session.get(BACKEND_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return SessionState(valid=False)
    user = load_backend(backend_path).get_user(user_id)
    session_hash = session.get(HASH_SESSION_KEY) or ""
    if user is None or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return SessionState(valid=False)
    membership = resolve_membership(user=user, session=session) if user.is_client_user else None
    client_id = membership.client_id if membership is not None else None
    return SessionState(
        valid=True, client_id=client_id, membership=membership, back_office=user.is_back_office
    )


def read_state_for_event(*, session_key: str, user_id: int, event: dict) -> tuple[SessionState, bool]:
    """The session's state and whether its membership's role and contracts cover the event."""
    state = read_session_state(session_key=session_key, user_id=user_id)
    if not state.valid or state.membership is None:
        return state, state.valid
    return state, membership_may_receive(state.membership, event)


class PortalConsumer(AsyncJsonWebsocketConsumer):
    """Join the active client's group (client users) or the staff group; relay events as JSON.

    A client user may also watch single requests of its client. Messages carry ids and stage only;
    the page re-fetches details over HTTP, where the usual permission checks apply.
    """

    async def connect(self) -> None:
        self.groups_joined: list[str] = []
        self.client_id: int | None = None
        self.is_staff_member = False
        self.ended = False
        self.seen: deque[int] = deque(maxlen=200)
        user = self.scope.get("user")
        session = self.scope.get("session")
        self.session_key = session.session_key if session is not None else None
        if user is None or not user.is_authenticated or not user.is_active or not self.session_key:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        if await database_sync_to_async(session_outlived)(session):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        if not await database_sync_to_async(session_meets_second_factor)(user, session):
            await self.close(code=CLOSE_NOT_ALLOWED)  # logged in, second factor still owed
            return
        if user.is_back_office:
            self.is_staff_member = True
            groups = [STAFF_GROUP]
        elif user.is_client_user:
            self.client_id = await database_sync_to_async(resolve_active_client_id)(user, session)
            if self.client_id is None:
                await self.close(code=CLOSE_NOT_ALLOWED)
                return
            groups = [client_group(self.client_id)]
        else:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        # The session group first: a logout or switch from now on reaches this socket, whichever
        # process ran it; one that slipped in since the session was read is caught by portal_event.
        for group in [session_group(self.session_key), *groups]:
            await self._join(group)
        await self.accept()
        self.relay = relay_for_running_loop()
        self.relay.attach()
        # Read once in the groups: what commits from now on is pushed here; the page compares it with
        # the cursor it was rendered at and re-fetches only when they differ, so the events it covers
        # count as seen (live_cursor.py).
        window = await database_sync_to_async(committed_window)()
        self.seen.extend(window)
        await self.send_json(
            {
                "type": "hello",
                "client_id": self.client_id,
                "staff": self.is_staff_member,
                "cursor": cursor_of(window),
            }
        )

    async def disconnect(self, code) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        relay = getattr(self, "relay", None)
        if relay is not None:
            relay.detach()
            self.relay = None

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """Decode a text frame holding a JSON object; any other frame is ignored (see the module)."""
        if self.ended:
            return
        problem = None
        content = None
        if not text_data:
            problem = "binary or empty frame"
        elif len(text_data) > MAX_FRAME_CHARS:
            problem = f"frame of {len(text_data)} characters"
        else:
            try:
                content = json.loads(text_data)
            except ValueError:  # JSONDecodeError, or text that is not valid UTF-8 once decoded
                problem = "frame is not JSON"
            except RecursionError:  # "[[[[…": deeper than the decoder goes, within MAX_FRAME_CHARS
                problem = "frame nests too deeply"
            else:
                if not isinstance(content, dict):
                    problem = "frame is not a JSON object"
        if problem is not None:
            user = self.scope.get("user")
            logger.warning("WebSocket frame ignored (%s), user %s", problem, getattr(user, "pk", None))
            await self.send_json({"type": "error", "code": "invalid_frame"})
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs) -> None:
        if self.ended:
            return
        if not isinstance(content, dict) or content.get("action") != "watch_request":
            await self.send_json({"type": "error", "code": "unknown_action"})
            return
        request_id = _request_id(content.get("request_id"))
        if request_id is None:
            await self.send_json({"type": "error", "code": "invalid_request_id"})
            return
        allowed = self.is_staff_member or await database_sync_to_async(self._may_watch)(request_id)
        if not allowed:
            await self.send_json({"type": "error", "code": "not_found", "request_id": request_id})
            return
        await self._join(request_group(request_id))
        await self.send_json({"type": "watching", "request_id": request_id})

    async def portal_event(self, message) -> None:
        if self.ended:  # already queued when the socket was closed
            return
        event = message["event"]
        if event["id"] in self.seen:  # one event reaches us through the client and the request group
            return
        self.seen.append(event["id"])
        if self.client_id is not None and event.get("client_id") != self.client_id:
            return  # defence in depth: a client user's socket only ever carries its own client's events
        # Defence in depth behind the session group: a logout or switch whose notice was lost or is
        # still on its way (another process, Redis hiccup, a session cycled by login or password
        # change) must not leak this event. Two or three indexed reads per event and socket.
        state, covered = await database_sync_to_async(read_state_for_event)(
            session_key=self.session_key, user_id=self.scope["user"].pk, event=event
        )
        if not state.valid:
            await self._end(CLOSE_SESSION_ENDED)
        elif state.back_office != self.is_staff_member:
            # A role changed (staff moved to another job): the staff group is not theirs any more. The page
            # loads again and the server shows what the role may see now.
            await self._end(CLOSE_SESSION_ENDED)
        elif state.client_id != self.client_id:
            await self._end(CLOSE_CLIENT_CHANGED)
        elif covered:  # the role and contracts of the membership (clients/access_rules.py)
            await self.send_json({"type": "event", "event": self._as_seen_here(event)})

    def _as_seen_here(self, event: dict) -> dict:
        """The event without who acted, only whether it was this socket's user (`own`: their action or its
        follow-up, e.g. the document of their decision): no page learns a colleague's or a client's id."""
        seen = {key: value for key, value in event.items() if key != ACTOR_KEY}
        actor_id = event.get(ACTOR_KEY)
        seen["own"] = actor_id is not None and actor_id == self.scope["user"].pk
        return seen

    def _may_watch(self, request_id: int) -> bool:
        membership = resolve_membership(user=self.scope["user"], session=self.scope.get("session"))
        if membership is None or membership.client_id != self.client_id:
            return False
        return client_may_see_request(client_id=self.client_id, request_id=request_id, membership=membership)

    async def session_ended(self, message) -> None:
        """The session was logged out (notifications.push.end_session_sockets)."""
        await self._end(CLOSE_SESSION_ENDED)

    async def session_client_changed(self, message) -> None:
        """The session acts for another client now (notifications.push.move_session_sockets).

        Closed rather than moved in place: the page's script reconnects, and connect() is then the one
        place that resolves the client from the stored session, re-checks membership and picks the
        groups; watched requests of the old client are dropped with the socket and must be asked for
        again under the new one. No event of either client can slip in between a discard and an add.
        """
        if self.client_id is not None and message.get("client_id") != self.client_id:
            await self._end(CLOSE_CLIENT_CHANGED)

    async def _end(self, code: int) -> None:
        """Leave every group before closing, so no further event is even delivered to this socket."""
        if self.ended:
            return
        self.ended = True
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined = []
        await self.close(code=code)

    async def _join(self, group: str) -> None:
        if group not in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)


def _unavailable_part(exc: BaseException) -> str | None:
    """The part an outage error comes from, or None when `exc` is a bug (kept as the traceback it is)."""
    if is_database_outage(exc):
        return "database"
    if isinstance(exc, RedisError | OSError | asyncio.TimeoutError):  # redis-py's, or the socket's own
        return "channel layer (Redis)"
    return None


class SocketOutageGuard:
    """Around the WebSocket stack (the session and user are read from the database before the consumer
    runs; the consumer's channel reads Redis from its first moment): an outage closes the socket with
    CLOSE_TRY_AGAIN_LATER and one warning line, never an "Exception in ASGI application" traceback."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            part = _unavailable_part(exc)
            if part is None:
                raise
            logger.warning("WebSocket %s closed: the %s is unavailable: %r", scope.get("path"), part, exc)
            with contextlib.suppress(Exception):  # the connection may be gone already: nothing to close
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER})
