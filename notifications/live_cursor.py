"""Where the outbox stood when a page was rendered, so its live socket re-fetches it only when needed.

A live page (staff_live.js, live.js) and the bell used to re-fetch themselves when the socket's hello
arrived, in case an event was committed between the page's render and the moment the socket joined its
groups: a second render of the whole page on every visit. Now the page carries the cursor read before
its view ran (LiveCursorMiddleware, rendered by notifications/_bell.html onto live_socket.js), the hello
carries the cursor read once the socket is in its groups (consumers.py), and the page re-fetches only
when the two differ. A hello after a reconnect always re-fetches (live_socket.js): events of the gap
were not pushed to a closed socket. The events the hello's cursor covers are, for the page, already
shown (rendered, or in the re-fetch the hello starts): the socket does not pass them on when the relay
replays them (a relay starting up pushes what was committed a few seconds before).

The cursor is "<highest outbox id>.<rows among the LOOKBACK_IDS ids up to it>": on PostgreSQL a
transaction may commit after one with a higher id (the relay's OutboxCursor looks back as far for the
same reason), and such a late row changes the count although the highest id stayed. One indexed read.
"""

from __future__ import annotations

from django.db.models import Subquery

from backend.core.models import OutboxEvent
from notifications.push import OutboxCursor

LOOKBACK_IDS = OutboxCursor.LOOKBACK_IDS


def committed_window() -> list[int]:
    """The ids of the committed outbox rows among the LOOKBACK_IDS ids up to the highest one."""
    newest = OutboxEvent.objects.order_by("-pk").values("pk")[:1]
    return list(
        OutboxEvent.objects.filter(pk__gt=Subquery(newest) - LOOKBACK_IDS).values_list("pk", flat=True)
    )


def cursor_of(window: list[int]) -> str:
    return f"{max(window, default=0)}.{len(window)}"


def live_cursor() -> str:
    """The outbox's current cursor (see the module); equal cursors: no event committed in between."""
    return cursor_of(committed_window())


class LiveCursorMiddleware:
    """Read the cursor before the view reads the page's data (an event committed in between would be in
    the cursor but not on the page): pages of a logged-in user only, not the API nor a live re-fetch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and request.user.is_authenticated
            and not request.path.startswith("/api/")
            and request.headers.get("X-Requested-With") != "fetch"
        ):
            request.live_cursor = live_cursor()
        return self.get_response(request)
