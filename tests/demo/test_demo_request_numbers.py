"""The demo's back-dated requests carry numbers of their own year (request numbers count per year).

The other companies' eight weeks of decided requests are moved back in time after they are made: seeded
in January, some fall in last year and took this year's number (WN/2027/… dated December 2026).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from backend.core.models import OutboxEvent
from backend.requests_app.models import PortalRequest, RequestEvent, RequestNumberSequence

pytestmark = pytest.mark.django_db


def number_year(number: str) -> int:
    return int(number.split("/")[1])  # WN/<year>/<nnnnnn>


def test_a_demo_seeded_in_january_numbers_each_request_in_the_year_of_its_date():
    # when the demo is seeded on 10 January
    with time_machine.travel("2027-01-10 09:00 +0100", tick=False):
        call_command("seed_demo", clients=6, seed=1)

    requests = list(PortalRequest.objects.order_by("created_at", "pk"))
    years = {timezone.localtime(r.created_at).year for r in requests}
    assert years == {2026, 2027}  # some of the eight weeks of history fall in last year
    # then every request's number counts in the year it was submitted (Polish time)
    for portal_request in requests:
        assert number_year(portal_request.number) == timezone.localtime(portal_request.created_at).year, (
            portal_request.number,
            portal_request.created_at,
        )
    # and each year counts 1, 2, 3… without a gap, its counter at its last number
    by_year = defaultdict(list)
    for portal_request in requests:
        by_year[number_year(portal_request.number)].append(int(portal_request.number.rsplit("/", 1)[1]))
    for year, numbers in by_year.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), year
        assert RequestNumberSequence.objects.get(year=year).last == len(numbers)
    # and last year's numbers follow the days the requests were submitted
    assert by_year[2026] == sorted(by_year[2026])
    # and what names the request names that number: its decision's history row and its notices
    for portal_request in requests:
        for title in RequestEvent.objects.filter(
            request=portal_request, kind=RequestEvent.Kind.DOCUMENT
        ).values_list("message", flat=True):
            assert portal_request.number in title
        payloads = OutboxEvent.objects.filter(
            subject_type="requests_app.portalrequest", subject_id=portal_request.pk
        ).values_list("payload", flat=True)
        assert {payload.get("number") for payload in payloads} <= {portal_request.number}
