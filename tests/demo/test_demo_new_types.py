"""The demo login has one request of each newer type in a telling state, made through the services: a
complaint with an extended deadline, a buyout quote with a counter-offer waiting for the client, and an
issued permit whose verification code opens the public page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client as PageClient

from backend.accounts.models import User
from backend.contracts.models import BuyoutQuote
from backend.permits.models import VehiclePermit
from backend.requests_app.models import PortalRequest, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db) -> dict[str, PortalRequest]:
    call_command("seed_demo", clients=2, seed=1)
    requests = PortalRequest.objects.filter(
        submitted_by__email="klient@demo.pl",
        kind__in=["complaint", "early_termination", "vehicle_abroad_permit"],
    )
    return {portal_request.kind: portal_request for portal_request in requests}


def test_a_complaint_with_an_extended_deadline(seeded):
    complaint = seeded["complaint"]
    clock = complaint.complaint_clock
    assert complaint.status == RequestStatus.IN_REVIEW and complaint.process_instance_id
    assert clock.extended_at is not None and clock.extension_reason
    assert (clock.deadline - clock.received_on).days == 45
    assert complaint.assignee == User.objects.get(email="bok@leasing.example")


def test_a_buyout_quote_with_a_counter_offer_waiting_for_the_client(seeded):
    buyout = seeded["early_termination"]
    quote = BuyoutQuote.objects.get(pk=buyout.form_data["quote_id"])
    assert buyout.status == RequestStatus.WAITING_FOR_CLIENT
    assert quote.status == BuyoutQuote.Status.COUNTERED and quote.counter_response == ""
    assert quote.counter_total < quote.total


def test_an_issued_permit_with_its_verification_code(seeded):
    permit_request = seeded["vehicle_abroad_permit"]
    permit = VehiclePermit.objects.get(request=permit_request)
    assert permit_request.status == RequestStatus.COMPLETED
    assert permit.status == VehiclePermit.Status.VALID and permit.document_id
    page = PageClient().get(f"/verify/permit/{permit.code}/")
    assert page.status_code == 200 and 'data-permit-state="' in page.content.decode()
