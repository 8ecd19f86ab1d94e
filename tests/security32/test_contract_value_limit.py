"""A contract value change cannot give a contract a net value its money fields cannot hold (SEC2, session 32).

A client's price is typed within the field's 14 digits, but a EUR price converted at the approval's rate
was up to ten times more: 999 999 999 999,99 EUR × 4,25 was approved, stored beyond the columns' digits,
and from then on every page and API call reading the contract (the home page, the contract and request
lists) answered 500. The limit is one rule of the change's plan: submit, preview and approval say it alike.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.contracts.models import Contract
from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import approve
from tests.requests_app.helpers import submission, upload

pytestmark = pytest.mark.django_db

# The limit as the message names it (backend/requests_app/change_plans.py MAX_CONTRACT_NET_VALUE).
MAX_CONTRACT_NET_VALUE = Decimal("99999999999.99")
LIMIT_PL = "Kwota netto po zmianie może wynosić najwyżej 99\u00a0999\u00a0999\u00a0999,99\u00a0zł."


def submit(api, contract, net_amount: str, currency: str):
    body = submission(
        "contract_value_change",
        contract=contract,
        data={"option": "new_purchase_price", "net_amount": net_amount, "currency": currency},
        attachment_ids=[upload(api).json()["id"]],
    )
    return api.post("/api/requests/", body, format="json")


def test_a_foreign_price_converted_beyond_the_limit_is_refused_at_the_rate_and_changes_nothing(
    api_as, client_user, bok_staff, acme_contract
):
    # given a EUR price on a PLN contract within the limit at 1 zł for 1 EUR, far beyond it at 4,25 zł
    value_before = acme_contract.net_value
    submitted = submit(api_as(client_user), acme_contract, "50000000000.00", "EUR")
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]

    # when staff approve it at a plausible rate
    rate_day = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = approve(
        api_as(bok_staff), request_id, {"answer": "Zgoda.", "exchange_rate": "4.25", "rate_date": rate_day}
    )

    # then the approval is refused at the rate, naming the limit, and the contract keeps its value
    assert response.status_code == 400, response.json()
    assert response.json()["fields"] == {"exchange_rate": [LIMIT_PL]}
    assert Contract.objects.get(pk=acme_contract.pk).net_value == value_before
    portal_request = PortalRequest.objects.get(pk=request_id)
    assert portal_request.status == "in_review"
    assert "price_conversion" not in portal_request.form_data
    # and the client's contract still reads
    assert api_as(client_user).get(f"/api/contracts/{acme_contract.pk}/").status_code == 200


def test_a_price_in_the_contracts_currency_above_the_limit_is_refused_at_submit_and_in_the_preview(
    api_as, client_user, acme_contract
):
    api = api_as(client_user)
    above = str(MAX_CONTRACT_NET_VALUE + 1)

    submitted = submit(api, acme_contract, above, acme_contract.currency)
    preview = api.post(
        "/api/requests/schedule-quote/",
        {"contract_id": acme_contract.pk, "kind": "contract_value_change", "net_amount": above},
        format="json",
    )

    assert submitted.status_code == 400, submitted.json()
    assert submitted.json()["fields"]["data.net_amount"] == [LIMIT_PL]
    assert preview.status_code == 400, preview.json()
    assert preview.json()["fields"] == {"non_field_errors": [LIMIT_PL]}


def test_the_limit_itself_is_a_valid_price(api_as, client_user, acme_contract):
    submitted = submit(
        api_as(client_user), acme_contract, str(MAX_CONTRACT_NET_VALUE), acme_contract.currency
    )

    assert submitted.status_code == 201, submitted.json()


AT_ANY_RATE_PL = (
    "Po przeliczeniu po każdym kursie ta cena przekracza najwyższą kwotę netto, jaką może mieć umowa, "
    "99\u00a0999\u00a0999\u00a0999,99\u00a0zł."
)


def test_a_foreign_price_no_accepted_rate_brings_within_the_limit_is_refused_at_submit(
    api_as, client_user, acme_contract
):
    # an approval takes rates from 1 to 10 zł for 1 EUR: this price is above the limit at every one of them,
    # so the client hears it at once instead of the request waiting for staff to be refused
    api = api_as(client_user)

    refused = submit(api, acme_contract, "100000000000.00", "EUR")
    at_the_lowest_rate_within = submit(api, acme_contract, "99999999999.99", "EUR")

    assert refused.status_code == 400, refused.json()
    assert refused.json()["fields"]["data.net_amount"] == [AT_ANY_RATE_PL]
    assert at_the_lowest_rate_within.status_code == 201, at_the_lowest_rate_within.json()
    assert PortalRequest.objects.filter(kind="contract_value_change").count() == 1
