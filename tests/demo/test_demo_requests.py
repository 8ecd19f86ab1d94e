"""`make run`'s demo login has requests in every state, so the staff workspace opens with work in it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from backend.accounts.models import User
from backend.demo.showcase_requests import seed_demo_history, seed_demo_requests
from backend.requests_app.models import PortalRequest, RequestStatus

pytestmark = pytest.mark.django_db
NEW_TYPES = ("complaint", "early_termination", "vehicle_abroad_permit")


def test_the_demo_login_gets_requests_waiting_for_staff_and_the_client_and_a_decided_one(client):
    # when
    call_command("seed_demo", clients=2, seed=1)

    # then: made through the services, so they have their instances and history
    requests = PortalRequest.objects.filter(submitted_by__email="klient@demo.pl").exclude(kind__in=NEW_TYPES)
    statuses = sorted(requests.values_list("status", flat=True))
    assert statuses == sorted(
        [
            RequestStatus.IN_REVIEW,
            RequestStatus.IN_REVIEW,
            RequestStatus.WAITING_FOR_CLIENT,
            RequestStatus.COMPLETED,
        ]
    )
    assert all(portal_request.process_instance_id for portal_request in requests)
    staff = User.objects.get(email="bok@leasing.example")
    assert requests.filter(assignee=staff).count() == 3

    # and the staff dashboard shows the work
    client.force_login(staff)
    page = client.get(reverse("staff-task-list")).content.decode()
    # (two of the first four and the complaint wait for staff; the buyout waits for the client)
    assert page.count('<th scope="row" data-label=') == 3


def test_seeding_again_adds_no_request():
    call_command("seed_demo", clients=2, seed=1)
    before = PortalRequest.objects.count()
    assert seed_demo_requests() == 0
    assert seed_demo_history() == 0
    call_command("seed_demo", clients=2, seed=1)
    assert PortalRequest.objects.count() == before
    assert PortalRequest.objects.filter(submitted_by__email="klient@demo.pl").count() == 7


def test_the_other_companies_have_weeks_of_decided_requests_for_the_dashboard():
    # The dashboard of a fresh `make run` drew a flat week line and medians of 0.0 days: every demo request
    # was submitted and decided in the same second.
    from datetime import timedelta

    from django.utils import timezone

    from backend.requests_app import selectors_dashboard as figures

    call_command("seed_demo", clients=6, seed=1)

    demo_company = PortalRequest.objects.filter(submitted_by__email="klient@demo.pl").first().client
    history = PortalRequest.objects.exclude(client=demo_company)
    assert history.count() >= 5
    assert all(portal_request.decided_at and portal_request.process_instance_id for portal_request in history)
    # submitted on different days of the last eight weeks, each decided one to seven days later
    durations = [r.decided_at - r.created_at for r in history]
    assert all(timedelta(days=1) <= duration <= timedelta(days=7) for duration in durations)
    assert len({r.created_at.date() for r in history}) >= 4
    assert min(r.created_at for r in history) >= timezone.now() - timedelta(weeks=8)
    # the history reads in order: submitted first, decided last
    for portal_request in history:
        moments = list(portal_request.events.order_by("id").values_list("created_at", flat=True))
        assert moments == sorted(moments) and moments[0] == portal_request.created_at
    # the dashboard's figures draw it
    _mondays, _opened, decided = figures.opened_vs_decided_per_week()
    assert sum(1 for count in decided if count) >= 3
    history_kinds = set(history.values_list("kind", flat=True))
    medians = [
        median for kind, _label, median, _count in figures.median_days_to_decision() if kind in history_kinds
    ]
    assert len(medians) >= 2 and all(median >= 1 for median in medians)


@pytest.mark.parametrize("day", ["2026-12-01", "2027-01-15", "2027-02-28", "2027-06-10", "2027-09-30"])
def test_every_demo_request_is_made_whatever_the_date(day, caplog):
    # The demo's contracts follow today's date: from 1.12.2026 the first one already paid on the 20th and
    # the payment-day request asking for the 20th was refused and left out.
    import time_machine

    with time_machine.travel(f"{day} 09:00 +0100", tick=False):
        call_command("seed_demo", clients=2, seed=1)

    assert "left out" not in caplog.text
    assert PortalRequest.objects.filter(submitted_by__email="klient@demo.pl").count() == 7
