"""An Idempotency-Key over 128 characters is refused (400, the header named), never cut to a shared prefix."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.requests_app.models import PortalRequest
from tests.requests_app.helpers import all_declarations, contact, submission

pytestmark = pytest.mark.django_db

PREFIX = "k" * 128


def other_request(subject: str) -> dict:
    return submission("other_request", data={"subject": subject, "message": "Proszę o kopię polisy."})


def test_two_long_keys_sharing_128_characters_are_refused_not_merged(api_as, client_user):
    api = api_as(client_user)

    # when
    first = api.post(
        "/api/requests/", other_request("Polisa"), format="json", HTTP_IDEMPOTENCY_KEY=PREFIX + "-1"
    )
    second = api.post(
        "/api/requests/", other_request("Umowa"), format="json", HTTP_IDEMPOTENCY_KEY=PREFIX + "-2"
    )

    # then
    for response in (first, second):
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert "128" in body["fields"]["Idempotency-Key"][0]
    assert not PortalRequest.objects.exists()


def test_a_key_of_exactly_128_characters_is_kept_whole(api_as, client_user):
    api = api_as(client_user)

    # when
    first = api.post("/api/requests/", other_request("Polisa"), format="json", HTTP_IDEMPOTENCY_KEY=PREFIX)
    retry = api.post("/api/requests/", other_request("Polisa"), format="json", HTTP_IDEMPOTENCY_KEY=PREFIX)

    # then
    assert (first.status_code, retry.status_code) == (201, 200)
    assert PortalRequest.objects.get().idempotency_key == PREFIX


def test_the_buyout_request_refuses_a_long_key_too(api_as, client_user, acme_contract):
    api = api_as(client_user)
    effective_date = (timezone.localdate() + timedelta(days=20)).isoformat()
    quote = api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/", {"effective_date": effective_date}, format="json"
    ).json()

    # when
    response = api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/request/",
        {"contact": contact(), "declarations": all_declarations("early_termination")},
        format="json",
        HTTP_IDEMPOTENCY_KEY=PREFIX + "-x",
    )

    # then
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not PortalRequest.objects.exists()


def test_the_schema_documents_the_limit():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/api/requests/", "/api/contracts/{contract_id}/buyout-quotes/{quote_id}/request/"):
        [header] = [p for p in schema["paths"][path]["post"]["parameters"] if p["name"] == "Idempotency-Key"]
        assert header["schema"]["maxLength"] == 128
