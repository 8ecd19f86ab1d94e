"""POST /api/messages/ with an Idempotency-Key, as POST /api/requests/ takes it: the same key again answers
200 with the first thread and writes nothing, the same key with another text is 409
`idempotency_key_reused`, a key longer than 128 characters 400 naming the header."""

from __future__ import annotations

import pytest

from backend.messaging.models import Message, MessageThread

pytestmark = pytest.mark.django_db

KEY = "msg-2f1e"


@pytest.fixture
def body(acme_contract) -> dict:
    return {
        "subject": "Faktura",
        "category": "invoices",
        "contract_id": acme_contract.pk,
        "body": "Proszę o korektę.",
    }


def test_the_same_key_twice_makes_one_thread_and_answers_it(api_as, client_user, body):
    api = api_as(client_user)

    first = api.post("/api/messages/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = api.post("/api/messages/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert first.status_code == 201, first.json()
    assert again.status_code == 200, again.json()
    assert again.json()["id"] == first.json()["id"]
    assert MessageThread.objects.count() == 1
    assert Message.objects.count() == 1


def test_the_same_key_with_another_text_is_409(api_as, client_user, body):
    api = api_as(client_user)
    assert api.post("/api/messages/", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY).status_code == 201

    response = api.post(
        "/api/messages/", {**body, "body": "Inny tekst."}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert MessageThread.objects.count() == 1


def test_a_key_longer_than_the_column_is_400_naming_the_header(api_as, client_user, body):
    response = api_as(client_user).post("/api/messages/", body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 129)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not MessageThread.objects.exists()


def test_without_a_key_each_post_is_a_new_thread(api_as, client_user, body):
    api = api_as(client_user)

    assert api.post("/api/messages/", body, format="json").status_code == 201
    assert api.post("/api/messages/", body, format="json").status_code == 201
    assert MessageThread.objects.count() == 2
