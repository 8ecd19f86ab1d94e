"""A zero or negative NBP rate is told what a rate is, not "must be at least 0,00" (SEC2, session 32).

The rate field's lowest value is 0,0001, but DRF's words wrote it to the grosz: an approval with rate 0
answered "Upewnij się, że ta wartość jest większa lub równa 0,00." — a sentence 0 satisfies. Any rate
out of range now reads as one out of the plausible 1–10 zł does.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.effects_walk.helpers import approve
from tests.requests_app.helpers import submission, upload

pytestmark = pytest.mark.django_db

HINT_PL = "Podaj kurs NBP: ile złotych kosztuje 1 jednostka waluty (np. 4,2500)."


@pytest.mark.parametrize("rate", ["0", "0,0000", "-4.25", "0.5"])
def test_a_rate_at_or_below_zero_is_told_what_an_nbp_rate_is(
    api_as, client_user, bok_staff, acme_contract, rate
):
    client_api = api_as(client_user)
    body = submission(
        "contract_value_change",
        contract=acme_contract,
        data={"option": "additional_equipment", "net_amount": "30000.00", "currency": "EUR"},
        attachment_ids=[upload(client_api).json()["id"]],
    )
    request_id = client_api.post("/api/requests/", body, format="json").json()["id"]
    rate_day = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = approve(api_as(bok_staff), request_id, {"exchange_rate": rate, "rate_date": rate_day})

    assert response.status_code == 400, response.json()
    assert response.json()["fields"] == {"exchange_rate": [HINT_PL]}
