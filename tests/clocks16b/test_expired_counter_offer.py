"""A counter-offer past its date: the client's page offers no "Accept" any more but says what to do next
(reply to ask for a new offer, which takes the request back to staff, or decline), and staff's task page
says the counter-offer lapsed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.contracts.models import BuyoutQuote
from backend.requests_app.models import PortalRequest
from tests.logged_in_clients import logged_in
from tests.portal_ui.test_buyout_pages import request_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired_counter(client, client_user, bok_staff, acme_contract):
    """An early termination request waiting for the client's answer to a counter-offer that expired."""
    web = logged_in(client, client_user)
    effective = (timezone.localdate() + timedelta(days=20)).isoformat()
    created = web.post(f"/contracts/{acme_contract.pk}/buyout/", {"effective_date": effective})
    web.post(created["Location"], request_form())
    portal_request = PortalRequest.objects.get()
    staff = logged_in(type(client)(), bok_staff)
    staff.post(f"/staff/tasks/{portal_request.pk}/buyout-counter/", {"total": "45 000,00", "reason": "Rabat"})
    quote = BuyoutQuote.objects.get()
    assert quote.status == BuyoutQuote.Status.COUNTERED
    # the days went by without an answer
    BuyoutQuote.objects.filter(pk=quote.pk).update(
        counter_valid_until=timezone.localdate() - timedelta(days=1)
    )
    return web, staff, portal_request


def test_the_client_cannot_accept_it_and_is_told_how_to_ask_for_a_new_offer(expired_counter):
    web, _staff, portal_request = expired_counter

    html = web.get(f"/requests/{portal_request.pk}/").content.decode()

    assert 'id="accept-counter"' not in html
    assert 'id="decline-counter"' in html
    assert 'data-testid="counter-expired"' in html
    assert "nie można jej już przyjąć" in html and "Aby poprosić o nową ofertę, wyślij odpowiedź" in html
    assert '<section class="card" id="reply-card" aria-labelledby="reply-title">' in html  # shown


def test_a_reply_asking_for_a_new_offer_takes_the_request_back_to_staff(expired_counter):
    web, staff, portal_request = expired_counter

    # staff see the lapse on the task page while the request waits for the client
    task = staff.get(f"/staff/tasks/{portal_request.pk}/").content.decode()
    assert 'data-testid="counter-expired"' in task and "bez odpowiedzi klienta" in task

    web.post(f"/requests/{portal_request.pk}/reply/", {"message": "Proszę o nową ofertę."})

    portal_request.refresh_from_db()
    assert portal_request.status == "in_review"
    assert 'id="form-counter"' in staff.get(f"/staff/tasks/{portal_request.pk}/").content.decode()
