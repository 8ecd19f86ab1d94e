"""Staff decide a held permit request days after the client asked: once the return date has passed the
permit is refused next to the decision (API: 400 in the error shape), nothing is issued and the request
stays with staff; once only the departure date has passed, the task page warns before deciding."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from backend.permits.models import VehiclePermit
from backend.requests_app.models import PortalRequest
from tests.logged_in_clients import browsing_as
from tests.permits.test_permit_staff_view import held_permit  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# tests.permits.test_permit_api.trip(): from today + 10 days to today + 19 days.
DEPARTURE, RETURN = 10, 19


def day_after_today(days: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(9)))


def test_the_api_refuses_a_permit_after_the_return_date(
    held_permit,  # noqa: F811
    api_as,
    bok_staff,
    django_capture_on_commit_callbacks,
):
    with (
        time_machine.travel(day_after_today(RETURN + 2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api_as(bok_staff).post(
            f"/api/staff/requests/{held_permit}/approve/",
            {"answer": "Zgoda mimo zaległości."},
            format="json",
        )

    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "permit_trip_ended"
    assert "po dacie powrotu" in body["message"]
    assert not VehiclePermit.objects.filter(request_id=held_permit).exists()
    assert PortalRequest.objects.get(pk=held_permit).status == "in_review"


def test_the_staff_page_says_why_next_to_the_decision(held_permit, bok_staff):  # noqa: F811
    with time_machine.travel(day_after_today(RETURN + 2), tick=False):
        page = browsing_as(bok_staff)
        warned = page.get(f"/staff/tasks/{held_permit}/").content.decode()
        refused = page.post(f"/staff/tasks/{held_permit}/approve/", {"answer": "Zgoda mimo zaległości."})

    assert 'id="permit-trip-warning"' in warned and "po dacie powrotu" in warned
    assert refused.status_code == 400
    assert "po dacie powrotu" in refused.content.decode()
    assert not VehiclePermit.objects.filter(request_id=held_permit).exists()


def test_a_trip_under_way_is_a_warning_and_the_permit_can_still_be_issued(
    held_permit,  # noqa: F811
    api_as,
    bok_staff,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(day_after_today(DEPARTURE + 2), tick=False):
        html = browsing_as(bok_staff).get(f"/staff/tasks/{held_permit}/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = api_as(bok_staff).post(
                f"/api/staff/requests/{held_permit}/approve/",
                {"answer": "Zgoda mimo zaległości."},
                format="json",
            )

    assert 'id="permit-trip-warning"' in html and "Wyjazd rozpoczął się" in html
    assert response.status_code == 200, response.json()
    assert VehiclePermit.objects.filter(request_id=held_permit).exists()
