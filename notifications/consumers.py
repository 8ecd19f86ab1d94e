"""The portal's one WebSocket: live events for the client the user acts for, or for staff."""

from __future__ import annotations

from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from backend.clients.models import Client
from backend.core.middleware import ACTIVE_CLIENT_SESSION_KEY
from backend.requests_app.models import PortalRequest
from notifications.push import STAFF_GROUP, client_group, relay_for_running_loop, request_group

# Closed before accept: the browser sees a refused handshake.
CLOSE_NOT_ALLOWED = 4403


def resolve_active_client_id(user, session) -> int | None:
    """Return the client the session acts for, re-checking membership (as get_active_client does)."""
    memberships = Client.objects.filter(memberships__user=user)
    client_id = session.get(ACTIVE_CLIENT_SESSION_KEY) if session is not None else None
    client = memberships.filter(pk=client_id).first() if client_id else None
    if client is None:
        client = memberships.order_by("-memberships__is_default", "name").first()
    return client.pk if client else None


def client_may_see_request(*, client_id: int, request_id: int) -> bool:
    return PortalRequest.objects.filter(pk=request_id, client_id=client_id).exists()


class PortalConsumer(AsyncJsonWebsocketConsumer):
    """Join the active client's group (client users) or the staff group; relay events as JSON.

    A client user may also watch single requests of its client. Messages carry ids and stage only;
    the page re-fetches details over HTTP, where the usual permission checks apply.
    """

    async def connect(self) -> None:
        self.groups_joined: list[str] = []
        self.client_id: int | None = None
        self.is_staff_member = False
        self.seen: deque[int] = deque(maxlen=200)
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        if user.is_back_office:
            self.is_staff_member = True
            await self._join(STAFF_GROUP)
        elif user.is_client_user:
            self.client_id = await database_sync_to_async(resolve_active_client_id)(
                user, self.scope.get("session")
            )
            if self.client_id is None:
                await self.close(code=CLOSE_NOT_ALLOWED)
                return
            await self._join(client_group(self.client_id))
        else:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        await self.accept()
        self.relay = relay_for_running_loop()
        self.relay.attach()
        await self.send_json({"type": "hello", "client_id": self.client_id, "staff": self.is_staff_member})

    async def disconnect(self, code) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        relay = getattr(self, "relay", None)
        if relay is not None:
            relay.detach()
            self.relay = None

    async def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict) or content.get("action") != "watch_request":
            await self.send_json({"type": "error", "code": "unknown_action"})
            return
        try:
            request_id = int(content.get("request_id"))
        except (TypeError, ValueError):
            await self.send_json({"type": "error", "code": "invalid_request_id"})
            return
        allowed = self.is_staff_member or await database_sync_to_async(client_may_see_request)(
            client_id=self.client_id, request_id=request_id
        )
        if not allowed:
            await self.send_json({"type": "error", "code": "not_found", "request_id": request_id})
            return
        await self._join(request_group(request_id))
        await self.send_json({"type": "watching", "request_id": request_id})

    async def portal_event(self, message) -> None:
        event = message["event"]
        if event["id"] in self.seen:  # one event reaches us through the client and the request group
            return
        self.seen.append(event["id"])
        await self.send_json({"type": "event", "event": event})

    async def _join(self, group: str) -> None:
        if group not in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
