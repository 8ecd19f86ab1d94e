"""POST /api/requests/ sent several times at once with one Idempotency-Key: every answer is the first request
(201 once, then 200 with its id), never 400 "there is an open request of this kind" that the first one's
commit causes. Here the race is set deterministically: the first post commits between a retry's look-up of
the key and its validation, or between its validation and the contract's lock (tests/scaled races threads
on PostgreSQL)."""

from __future__ import annotations

import pytest

from backend.requests_app import services, validation
from backend.requests_app.models import PortalRequest
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

KEY = "retry-7f3c"


@pytest.fixture
def body(acme_contract) -> dict:
    return submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
    )


def misses_first(monkeypatch, calls: int) -> None:
    """The key's first `calls` look-ups find nothing: they ran before the parallel first post committed."""
    real = services.find_idempotent_request
    missed = []

    def lookup(**kwargs):
        if len(missed) < calls:
            missed.append(kwargs)
            return None
        return real(**kwargs)

    monkeypatch.setattr(services, "find_idempotent_request", lookup)


def test_a_retry_validated_after_the_first_committed_answers_the_first(
    monkeypatch, api_as, client_user, body
):
    api = api_as(client_user)
    first = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == 201, first.json()
    misses_first(monkeypatch, 1)  # the retry's look-up, before the first was committed

    retry = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert retry.status_code == 200, retry.json()
    assert retry.json()["id"] == first.json()["id"]
    assert PortalRequest.objects.count() == 1


def test_a_retry_refused_under_the_contracts_lock_answers_the_first(monkeypatch, api_as, client_user, body):
    api = api_as(client_user)
    first = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == 201, first.json()
    # The retry looked the key up twice and validated its body before the first committed; it then waits
    # for the contract's lock the first held, and under it finds the first's open request.
    misses_first(monkeypatch, 2)
    monkeypatch.setattr(validation, "contract_refusal", lambda kind, contract: None)

    retry = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert retry.status_code == 200, retry.json()
    assert retry.json()["id"] == first.json()["id"]
    assert PortalRequest.objects.count() == 1


def test_the_same_key_with_another_body_is_still_409(monkeypatch, api_as, client_user, body):
    api = api_as(client_user)
    assert api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY).status_code == 201
    misses_first(monkeypatch, 1)
    other = {**body, "data": {"payment_day": 25, "reason": "cash_flow"}}

    response = api.post("/api/requests/", other, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"


def test_without_a_key_a_second_open_request_is_still_refused(api_as, client_user, body):
    api = api_as(client_user)
    assert api.post("/api/requests/", body, format="json").status_code == 201

    response = api.post("/api/requests/", body, format="json")

    assert response.status_code == 400
    assert "contract_id" in response.json()["fields"]
