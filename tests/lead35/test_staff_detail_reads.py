"""The staff API's request detail while a decision waits: `approval_refusal` (what an approval would meet
now) costs one read of the contract's quotes, no more, and only for a kind whose approval changes the
contract; the whole detail stays a handful of statements."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.effects_walk.helpers import submit

pytestmark = pytest.mark.django_db


def _reads(api, request_id: int) -> list[str]:
    api.get(f"/api/staff/requests/{request_id}/")  # the first read warms the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = api.get(f"/api/staff/requests/{request_id}/")
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_contract_change_adds_one_read_of_the_contracts_quotes(
    api_as, client_user, bok_staff, acme_contract
):
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    change = submit(
        client_api, "payment_date_change", acme_contract, {"payment_day": 20, "reason": "cash_flow"}
    )
    other = submit(
        client_api, "other_request", acme_contract, {"subject": "Pytanie", "message": "Treść pytania"}
    )

    change_reads = _reads(staff_api, change.json()["id"])
    other_reads = _reads(staff_api, other.json()["id"])

    quotes = [sql for sql in change_reads if "contracts_buyoutquote" in sql]
    assert len(quotes) == 1
    assert not any("contracts_buyoutquote" in sql for sql in other_reads)
    assert len(change_reads) <= 8 and len(change_reads) == len(other_reads) + 1
