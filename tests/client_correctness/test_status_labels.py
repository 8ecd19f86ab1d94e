"""Statuses agree in gender with their noun: "wniosek" is masculine, "umowa" and "polisa" feminine."""

from __future__ import annotations

import pytest

from backend.contracts.models import InsurancePolicy
from tests.client_correctness.helpers import submission, visible_text
from tests.factories import InsurancePolicyFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn(api_as, client_user):
    api = api_as(client_user)
    body = submission("other_request", data={"subject": "Pytanie", "message": "Czy mogę zmienić polisę?"})
    created = api.post("/api/requests/", body, format="json")
    assert created.status_code == 201, created.json()
    cancelled = api.post(f"/api/requests/{created.json()['id']}/cancel/", {}, format="json")
    assert cancelled.status_code == 200, cancelled.json()
    return created.json()["id"]


def test_a_withdrawn_request_is_masculine_on_every_page(client, client_user, acme_contract, withdrawn):
    InsurancePolicyFactory(contract=acme_contract, status=InsurancePolicy.Status.CANCELLED)
    pages = [
        "/requests/",
        "/requests/?status=cancelled",
        f"/requests/{withdrawn}/",
        f"/requests/{withdrawn}/status/",
    ]
    browser = logged_in(client, client_user)
    for url in pages:
        response = browser.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert "Anulowany" in text, url
        assert "Anulowana" not in text, url


def test_the_api_label_is_masculine(api_as, client_user, withdrawn):
    detail = api_as(client_user).get(f"/api/requests/{withdrawn}/").json()
    assert detail["status_label"] == "Anulowany"


def test_a_cancelled_policy_stays_feminine(client, client_user, acme_contract, withdrawn):
    InsurancePolicyFactory(contract=acme_contract, status=InsurancePolicy.Status.CANCELLED)
    text = visible_text(
        logged_in(client, client_user).get(f"/contracts/{acme_contract.pk}/").content.decode()
    )
    assert "Anulowana" in text
    assert "Anulowany" not in text


def test_the_staff_page_says_the_same(client, bok_staff, withdrawn):
    text = visible_text(logged_in(client, bok_staff).get(f"/staff/tasks/{withdrawn}/").content.decode())
    assert "Anulowany" in text
    assert "Anulowana" not in text


def test_each_domain_keeps_its_own_word():
    from django.utils import translation

    from backend.contracts.models import Contract
    from backend.messaging.models import MessageThread
    from backend.requests_app.models import RequestStatus

    with translation.override("pl"):
        assert str(RequestStatus.CANCELLED.label) == "Anulowany"
        assert str(RequestStatus.COMPLETED.label) == "Zrealizowany"
        assert str(InsurancePolicy.Status.CANCELLED.label) == "Anulowana"
        assert str(Contract.Status.CLOSED.label) == "Zakończona"
        # A closed message thread is no longer shown with the contract's word for "Closed".
        assert str(MessageThread.Status.CLOSED.label) == "Zamknięta"
