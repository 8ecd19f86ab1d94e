"""An Idempotency-Key is scoped to the endpoint (as the IETF draft "The Idempotency-Key HTTP Header Field"
scopes it to the resource): the same key on another endpoint makes another thing, the same key with another
body on the same endpoint is 409 `idempotency_key_reused`. The scope is written where a client reads it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.messaging.models import Message, MessageThread
from backend.requests_app.models import PortalRequest
from tests.requests_app.helpers import all_declarations, contact, submission

pytestmark = pytest.mark.django_db

KEY = "one-key-for-everything"


def test_one_key_on_each_creating_endpoint_makes_one_thing_each_and_another_body_is_409(
    api_as, client_user, acme_contract
):
    api = api_as(client_user)
    thread_body = {
        "subject": "Faktura",
        "category": "invoices",
        "contract_id": acme_contract.pk,
        "body": "Korekta.",
    }
    request_body = submission(
        "other_request", data={"subject": "Polisa", "message": "Proszę o kopię polisy."}
    )

    # when: the same key on a new thread, a comment on it, and a new request
    thread = api.post("/api/messages/", thread_body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    comment = api.post(
        f"/api/messages/{thread.json()['id']}/comments/",
        {"body": "Dopisek."},
        format="json",
        HTTP_IDEMPOTENCY_KEY=KEY,
    )
    request = api.post("/api/requests/", request_body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    # then: each endpoint made its own thing
    assert (thread.status_code, comment.status_code, request.status_code) == (201, 201, 201)
    assert MessageThread.objects.count() == 1
    assert Message.objects.filter(thread_id=thread.json()["id"]).count() == 2
    assert PortalRequest.objects.count() == 1

    # when: the same key with another body on each of those endpoints
    again = [
        api.post("/api/messages/", {**thread_body, "body": "Inny."}, format="json", HTTP_IDEMPOTENCY_KEY=KEY),
        api.post(
            f"/api/messages/{thread.json()['id']}/comments/",
            {"body": "Inny."},
            format="json",
            HTTP_IDEMPOTENCY_KEY=KEY,
        ),
        api.post(
            "/api/requests/",
            submission("other_request", data={"subject": "Umowa", "message": "Inny."}),
            format="json",
            HTTP_IDEMPOTENCY_KEY=KEY,
        ),
    ]

    # then: 409 in the API's error shape, nothing more written
    for response in again:
        assert response.status_code == 409, response.json()
        assert response.json()["code"] == "idempotency_key_reused"
    assert (MessageThread.objects.count(), Message.objects.count(), PortalRequest.objects.count()) == (
        1,
        2,
        1,
    )


def test_the_buyout_request_shares_the_scope_of_post_requests(api_as, client_user, acme_contract):
    """Both make a request (one table, one key per user and client): the key of a request is 409 there."""
    api = api_as(client_user)
    effective_date = (timezone.localdate() + timedelta(days=20)).isoformat()
    quote = api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/", {"effective_date": effective_date}, format="json"
    ).json()
    body = submission("other_request", data={"subject": "Polisa", "message": "Proszę o kopię polisy."})
    assert api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY).status_code == 201

    response = api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote['id']}/request/",
        {"contact": contact(), "declarations": all_declarations("early_termination")},
        format="json",
        HTTP_IDEMPOTENCY_KEY=KEY,
    )

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "idempotency_key_reused"
    assert PortalRequest.objects.count() == 1


def test_the_schema_and_the_module_say_the_key_is_scoped_to_the_endpoint():
    from drf_spectacular.generators import SchemaGenerator

    from backend.core import idempotency

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/api/requests/", "/api/messages/", "/api/messages/{thread_id}/comments/"):
        [header] = [p for p in schema["paths"][path]["post"]["parameters"] if p["name"] == "Idempotency-Key"]
        assert "scoped to the endpoint" in header["description"]
    assert "scoped to the endpoint" in idempotency.__doc__
