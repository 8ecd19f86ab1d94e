"""A buyout request that ended without a buyout shows its quote as what happened to it: cancelled with
the request ("Anulowana", as the request reads) when the client withdrew or did not answer, not "Wygasła"
while still within its date, declined ("Odrzucona") only when staff rejected it; and the
counter-offer box, with its "valid until", goes with the ended request."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from backend.requests_app.models import PortalRequest
from backend.requests_app.timers import sweep_due_timers
from tests.client_correctness.helpers import visible_text
from tests.requests_app.test_buyout_release import counter
from tests.requests_app.test_early_termination import make_quote, request_from

pytestmark = pytest.mark.django_db


def buyout_panel(client, request_id: int) -> str:
    page = client.get(f"/requests/{request_id}/").content.decode()
    return visible_text(page.split('data-testid="buyout-panel"', 1)[1].split("</section>", 1)[0])


def test_a_counter_offer_left_unanswered_lapses_and_its_box_goes(
    client, api_as, client_user, bok_staff, acme_contract
):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client_api = api_as(client_user)
        quote = make_quote(client_api, acme_contract)
        submitted = request_from(client_api, acme_contract, quote)
        counter(api_as(bok_staff), submitted["id"])
        client.force_login(client_user)
        assert "Kontroferta" in buyout_panel(client, submitted["id"])

        # when 30 days pass without the client's answer
        traveller.move_to(start + timedelta(days=14, minutes=1))
        sweep_due_timers()
        traveller.move_to(start + timedelta(days=30, minutes=1))
        sweep_due_timers()
        assert PortalRequest.objects.get(pk=submitted["id"]).status == "cancelled"

        # then the quote reads as cancelled, not refused, and no counter-offer is left to read or answer
        client.force_login(client_user)  # a month later: a new session
        panel = buyout_panel(client, submitted["id"])
        assert "Anulowana" in panel and "Wygasła" not in panel
        assert "Odrzucona" not in panel
        assert "Kontroferta" not in panel


def test_a_withdrawn_request_leaves_its_quote_cancelled_not_expired(
    client, api_as, client_user, acme_contract
):
    client_api = api_as(client_user)
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    assert client_api.post(f"/api/requests/{submitted['id']}/cancel/").status_code == 200

    client.force_login(client_user)
    panel = buyout_panel(client, submitted["id"])
    assert "Anulowana" in panel and "Wygasła" not in panel
    assert "Odrzucona" not in panel


def test_staffs_rejection_still_declines_it(client, api_as, client_user, bok_staff, acme_contract):
    client_api = api_as(client_user)
    quote = make_quote(client_api, acme_contract)
    submitted = request_from(client_api, acme_contract, quote)
    rejected = api_as(bok_staff).post(
        f"/api/staff/requests/{submitted['id']}/reject/", {"reason": "Zaległe płatności."}, format="json"
    )
    assert rejected.status_code == 200, rejected.json()

    client.force_login(client_user)
    assert "Odrzucona" in buyout_panel(client, submitted["id"])
