"""The reads the events of one worker batch share (BatchReads): the request an event names, the history
row of the stage change it tells and, for a complaint back with staff for want of the client's reply, that
no-reply row's dates; the company's users and their saved preferences. Each is read once per batch; the
reads done for every event are prepared statements (core/prepared_reads.py)."""

from __future__ import annotations

from backend.accounts.models import User
from backend.clients.access_rules import member_users
from backend.core.models import OutboxEvent
from backend.core.prepared_reads import PreparedRead
from backend.requests_app.complaints import reply_missed_before
from notifications.models import NotificationPreference

Kind = OutboxEvent.Kind


class BatchReads:
    """The reads the events of one worker batch share: their request, the stage change a stage event tells
    (and a complaint's no-reply dates before it), the company's users and the company's saved preferences,
    each read once per batch instead of once per event.

    A batch is handled in one transaction that writes none of these rows, so a second read would return
    the same rows: remembering the first changes no recipient. Made for one batch and dropped with it.
    """

    def __init__(self) -> None:
        self._requests: dict[tuple, object] = {}
        self._stage_changes: dict[int, object] = {}
        self._replies_missed: dict[int, dict] = {}
        self._users: dict[tuple, list[User]] = {}
        self._preferences: dict[int, dict[int, NotificationPreference]] = {}

    def request(self, event: OutboxEvent):
        """The request a request event names, if it belongs to the event's client (else None)."""
        request_id = (event.payload or {}).get("request_id") or event.subject_id
        if event.client_id is None or not isinstance(request_id, int):
            return None  # a request's events always name their client and request
        key = (request_id, event.client_id)
        if key not in self._requests:
            self._requests[key] = _REQUEST_OF_CLIENT.first(pk=request_id, client_id=event.client_id)
        return self._requests[key]

    def stage_change(self, event: OutboxEvent):
        """The history row of the status change a stage event tells (None: another event, or not found)."""
        portal_request = self.request(event)
        if event.kind != Kind.REQUEST_STAGE_CHANGED or portal_request is None:
            return None
        if event.pk not in self._stage_changes:
            status = (event.payload or {}).get("status", "")
            self._stage_changes[event.pk] = _STAGE_CHANGE_UNTIL.first(
                request_id=portal_request.pk, status_to=status, until=event.created_at
            )
        return self._stage_changes[event.pk]

    def reply_missed(self, event: OutboxEvent) -> dict:
        """The days of a complaint's no-reply when the event is its going back to staff for want of the
        client's reply (complaints.reply_missed_before), else {}."""
        if event.pk not in self._replies_missed:
            self._replies_missed[event.pk] = reply_missed_before(self.stage_change(event))
        return self._replies_missed[event.pk]

    def company_users(
        self,
        client_id: int | None,
        *,
        area: str | None = None,
        contract_id: int | None = None,
        subject_author_id: int | None = None,
    ) -> list[User]:
        """Active users of the company whose role covers the area and whose contracts include this one
        (about one request or thread: its author given, access_rules.object_visible decides)."""
        key = (client_id, area, contract_id, subject_author_id)
        if key not in self._users:
            users = member_users(
                client_id=client_id, area=area, contract_id=contract_id, subject_author_id=subject_author_id
            )
            chosen = {user.pk: user for user in users if user.is_active and user.role == User.Role.CLIENT}
            self._users[key] = [chosen[pk] for pk in sorted(chosen)]
        return self._users[key]

    def company_preferences(self, client_id: int, users: list[User]) -> dict[int, NotificationPreference]:
        """Each user's preferences, read as the company's saved ones (a prepared read); defaults for a
        user who never saved any."""
        if client_id not in self._preferences:
            saved = _PREFERENCES_OF_COMPANY.all(client_id=client_id)
            self._preferences[client_id] = {pref.user_id: pref for pref in saved}
        return with_defaults(users, self._preferences[client_id])


def with_defaults(
    users: list[User], saved: dict[int, NotificationPreference]
) -> dict[int, NotificationPreference]:
    """Each user's saved preferences, the defaults (unsaved) for a user who never saved any."""
    return {user.pk: saved.get(user.pk) or NotificationPreference(user=user) for user in users}


_PREFERENCES_OF_COMPANY = PreparedRead(
    lambda client_id: NotificationPreference.objects.filter(user__memberships__client_id=client_id).order_by(
        "user_id"
    ),
    ints=("client_id",),
)


def request_of_event(event: OutboxEvent):
    """The request a request event names, if it belongs to the event's client (else None)."""
    return BatchReads().request(event)


def _request_of_client(pk: int, client_id: int):
    from backend.requests_app.models import PortalRequest

    return (
        PortalRequest.objects.filter(pk=pk, client_id=client_id).select_related("assignee").order_by("pk")[:1]
    )


# Read for every request event the worker handles: compiled once per connection (core/prepared_reads.py).
_REQUEST_OF_CLIENT = PreparedRead(_request_of_client, ints=("pk", "client_id"))


def _stage_change_until(request_id: int, status_to: str, until):
    from backend.requests_app.models import RequestEvent

    return (
        RequestEvent.objects.filter(
            request_id=request_id,
            kind=RequestEvent.Kind.STAGE_CHANGED,
            status_to=status_to,
            created_at__lte=until,
        )
        .only("id", "request_id", "actor_id", "status_to")
        .order_by("-created_at", "-id")[:1]
    )


# Read for every stage change the worker handles: compiled once per connection (core/prepared_reads.py).
_STAGE_CHANGE_UNTIL = PreparedRead(
    _stage_change_until, ints=("request_id",), strs=("status_to",), datetimes=("until",)
)
