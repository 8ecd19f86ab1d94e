"""`make run`'s demo login has requests in every state, so the staff workspace opens with work in it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from backend.accounts.models import User
from backend.demo.showcase_requests import seed_demo_requests
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
    call_command("seed_demo", clients=2, seed=1)
    assert PortalRequest.objects.count() == before == 7
