"""The staff dashboard's count of complaints near their statutory deadline, its linked list, days left."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from backend.requests_app.models import ComplaintClock
from tests.complaint_helpers import RECEIVED, submit_complaint

pytestmark = pytest.mark.django_db


def figure(html: str) -> tuple[int, str]:
    match = re.search(
        r'href="([^"]+)" data-testid="fig-complaints-near-deadline"><span class="stat-value">(\d+)<', html
    )
    assert match
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def test_near_deadline_count_links_to_the_same_complaints(client, api_as, client_user, bok_staff):
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        # given three complaints: due in 30 days, in 5 days (near) and already overdue (near)
        _far, near, overdue = (submit_complaint(api_as(client_user))["id"] for _ in range(3))
        ComplaintClock.objects.filter(request_id=near).update(deadline=RECEIVED.date() + timedelta(days=5))
        ComplaintClock.objects.filter(request_id=overdue).update(deadline=RECEIVED.date() - timedelta(days=1))
        # and one just outside "near" (6 days)
        outside = submit_complaint(api_as(client_user))["id"]
        ComplaintClock.objects.filter(request_id=outside).update(deadline=RECEIVED.date() + timedelta(days=6))

        # when staff open the dashboard
        client.force_login(bok_staff)
        count, href = figure(client.get(reverse("staff-home")).content.decode())

        # then two are near, and the linked task list shows exactly those two with their days left
        assert count == 2
        listed = client.get(href).content.decode()
        assert len(re.findall(r'<th scope="row" data-label=', listed)) == 2
        days = re.findall(r'data-testid="complaint-days-left">Reklamacja · ([^<]+)<', listed)
        assert sorted(days) == ["do terminu: 5 dni", "po terminie: 1 dzień"]

        # when one is answered it leaves the count
        answered = api_as(bok_staff).post(
            f"/api/staff/requests/{near}/approve/", {"answer": "Uwzględniona."}, format="json"
        )
        assert answered.status_code == 200, answered.json()
        traveller.shift(timedelta(minutes=1))
        assert figure(client.get(reverse("staff-home")).content.decode())[0] == 1
