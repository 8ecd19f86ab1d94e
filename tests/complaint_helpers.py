"""A complaint through the API, for the tests of its statutory clock and of its wait for the client.

Received on 24.11.2026 (day 0: the answer is due by 24.12.2026, the client asked that day replies by
18.12.2026), claimed, asked about, reminded on day 14 and its wait ended by the sweep of day 25. Callers
travel in time themselves (time_machine) and pass pytest-django's django_capture_on_commit_callbacks as
`capture`: each step's outbox events (notices, e-mails) are handed over after its commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

from backend.requests_app.models import RequestEvent
from backend.requests_app.timers import sweep_due_timers
from tests.request_helpers import ask_client, claim
from tests.requests_app.helpers import submission

WARSAW = ZoneInfo("Europe/Warsaw")
# Received on 24.11.2026 (day 0): the answer is due by 24.12.2026 (day 30).
RECEIVED = datetime(2026, 11, 24, 10, 0, tzinfo=WARSAW)


def at_day(day: int, hour: int = 0, minute: int = 1) -> datetime:
    return datetime.combine(
        RECEIVED.date() + timedelta(days=day), datetime.min.time(), tzinfo=WARSAW
    ).replace(hour=hour, minute=minute)


def submit_complaint(api) -> dict:
    """The complaint as the client's API returns it once submitted (its id, number…)."""
    body = submission(
        "complaint",
        data={
            "subject": "Błędna faktura za listopad",
            "message": "Faktura zawiera opłatę, której nie ma w umowie.",
        },
    )
    response = api.post("/api/requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def clock(api, request_id: int, *, staff: bool = False) -> dict:
    """The statutory clock as the request's detail carries it (client's or staff's view)."""
    prefix = "/api/staff/requests" if staff else "/api/requests"
    response = api.get(f"{prefix}/{request_id}/")
    assert response.status_code == 200, response.json()
    return response.json()["complaint_clock"]


def event_kinds(request_id: int) -> list[str]:
    return list(RequestEvent.objects.filter(request_id=request_id).values_list("kind", flat=True))


def claimed_complaint(api_as, client_user, staff) -> dict:
    """A complaint `client_user` submitted and `staff` took (see submit_complaint)."""
    submitted = submit_complaint(api_as(client_user))
    claim(api_as(staff), submitted["id"])
    return submitted


def asked_complaint(api_as, client_user, staff, capture) -> dict:
    """A complaint submitted, claimed and asked about now, its e-mails sent: the outbox holds the question's
    e-mails alone afterwards (see submit_complaint)."""
    with capture(execute=True):
        submitted = claimed_complaint(api_as, client_user, staff)
        mail.outbox.clear()
        asked = ask_client(api_as(staff), submitted["id"])
        assert asked.status_code == 200, asked.json()
    return submitted


def remind_on_day_14(traveller, capture) -> None:
    """The day-14 reminder of a complaint asked about on day 0, swept on time."""
    traveller.move_to(at_day(14, hour=10, minute=5))
    with capture(execute=True):
        assert sweep_due_timers() == 1


def end_the_wait(traveller, capture) -> None:
    """The sweep after the reply-by day (18.12.2026) of a complaint asked about on day 0: its wait ends."""
    traveller.move_to(at_day(25))
    with capture(execute=True):
        assert sweep_due_timers() == 1
