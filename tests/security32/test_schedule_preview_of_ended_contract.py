"""The schedule preview of a contract that takes no change says so, as the submit does (SEC2, session 32).

POST /api/requests/schedule-quote/ answered a terminated contract with new installments (200) although
the submit of the same change is refused ("no longer active"): the preview now gives the submit's refusal.
"""

from __future__ import annotations

import pytest

from backend.contracts.models import Contract
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [Contract.Status.TERMINATED, Contract.Status.CLOSED])
def test_the_preview_of_an_ended_contract_gives_the_submits_refusal(
    api_as, client_user, acme_contract, status
):
    Contract.objects.filter(pk=acme_contract.pk).update(status=status)
    api = api_as(client_user)
    change = {"installment_option": "auto", "months": acme_contract.months + 12}

    preview = api.post(
        "/api/requests/schedule-quote/", {"contract_id": acme_contract.pk, **change}, format="json"
    )
    submitted = api.post(
        "/api/requests/", submission("schedule_change", contract=acme_contract, data=change), format="json"
    )

    assert submitted.status_code == 400, submitted.json()
    refusal = submitted.json()["fields"]["contract_id"]
    assert "nie jest już aktywna" in refusal[0]
    assert preview.status_code == 400, preview.json()
    assert preview.json()["fields"] == {"contract_id": refusal}
    assert "installments" not in preview.json()


def test_the_preview_of_an_active_contract_still_shows_its_installments(api_as, client_user, acme_contract):
    preview = api_as(client_user).post(
        "/api/requests/schedule-quote/",
        {"contract_id": acme_contract.pk, "installment_option": "auto", "months": acme_contract.months + 12},
        format="json",
    )

    assert preview.status_code == 200, preview.json()
    assert preview.json()["installments"]
