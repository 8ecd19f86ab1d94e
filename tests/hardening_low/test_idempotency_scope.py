"""An Idempotency-Key is scoped to (user, acting client) and a replay re-checks the membership."""

from __future__ import annotations

import pytest

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from backend.requests_app.models import PortalRequest
from tests.factories import MembershipFactory
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


def act_for(api, client_company) -> None:
    session = api.session
    session[ACTIVE_CLIENT_SESSION_KEY] = client_company.pk
    session.save()


@pytest.fixture
def partner(client_user, other_company):
    """Anna acts for acme (default) and also for the other company."""
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    return client_user


def other_request() -> dict:
    """A body valid for any client (no contract): the old per-user key would match it everywhere."""
    return submission("other_request", data={"subject": "Polisa", "message": "Proszę o kopię polisy."})


def test_the_same_key_after_switching_clients_makes_a_request_of_the_new_client(
    api_as, partner, acme, other_company
):
    # given: a request submitted for acme with key-1
    api = api_as(partner)
    first = api.post("/api/requests/", other_request(), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert first.status_code == 201, first.json()

    # when: she switches to the other company and sends the same body with the same key
    act_for(api, other_company)
    second = api.post("/api/requests/", other_request(), format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    # then: a new request of the other company, never acme's
    assert second.status_code == 201, second.json()
    assert second.json()["id"] != first.json()["id"]
    assert PortalRequest.objects.get(pk=second.json()["id"]).client_id == other_company.pk
    assert PortalRequest.objects.filter(idempotency_key="key-1").count() == 2


def test_a_replay_after_the_membership_was_revoked_does_not_return_the_old_clients_request(
    api_as, partner, acme, other_company
):
    # given: a request of acme sent with key-1
    api = api_as(partner)
    first = api.post("/api/requests/", other_request(), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert first.status_code == 201, first.json()

    # when: her acme membership is revoked and she replays the very same submit
    partner.memberships.filter(client=acme).delete()
    replay = api.post("/api/requests/", other_request(), format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    # then: acme's request is neither returned nor touched; the submit counts for the client she acts for
    assert replay.status_code == 201, replay.json()
    assert replay.json()["id"] != first.json()["id"]
    assert replay.json()["number"] != first.json()["number"]
    assert PortalRequest.objects.get(pk=replay.json()["id"]).client_id == other_company.pk
    assert PortalRequest.objects.filter(client=acme).count() == 1


def test_the_request_page_form_replay_is_scoped_to_the_acting_client_too(
    client, partner, acme, other_company
):
    from django.urls import reverse

    # given: a request of acme exists with the page form's key
    acme_request = PortalRequest.objects.create(
        number="WN/2026/900001",
        type="other",
        kind="other_request",
        client=acme,
        submitted_by=partner,
        contact_name="Anna Kowalska",
        contact_phone="+48 600 100 200",
        contact_email="anna@acme.pl",
        idempotency_key="form-key",
    )
    client.force_login(partner)
    act_for(client, other_company)

    # when: the other company's form is posted with the same key (empty otherwise)
    response = client.post(
        reverse("request-new-kind", kwargs={"kind": "other_request"}), {"idempotency_key": "form-key"}
    )

    # then: no redirect to acme's request; the form is shown again with its errors (400)
    assert response.status_code == 400
    assert reverse("request-page", kwargs={"request_id": acme_request.pk}) not in response.get("Location", "")


def test_a_replay_for_the_same_client_still_returns_the_first_request(api_as, client_user, acme_contract):
    # given
    api = api_as(client_user)
    body = submission("payment_date_change", contract=acme_contract, data=PAYMENT)

    # when
    first = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    retry = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    # then
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"]
    assert PortalRequest.objects.count() == 1


def test_the_lookup_service_finds_nothing_without_a_current_membership(
    api_as, client_user, acme, acme_contract
):
    from backend.requests_app.services import find_idempotent_request

    # given
    api = api_as(client_user)
    body = submission("payment_date_change", contract=acme_contract, data=PAYMENT)
    first = api.post("/api/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert (
        find_idempotent_request(user=client_user, client=acme, idempotency_key="key-1").pk
        == first.json()["id"]
    )

    # when
    client_user.memberships.all().delete()

    # then
    assert find_idempotent_request(user=client_user, client=acme, idempotency_key="key-1") is None
