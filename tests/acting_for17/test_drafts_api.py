"""The drafts API with the company a form was shown for (drafts.js sends it): after another tab switched
company, a save or a read for the first company is refused with 409 `client_changed`, and nothing is
filed as the other company's draft."""

from __future__ import annotations

import pytest

from backend.clients.active import ACTIVE_CLIENT_SESSION_KEY
from backend.drafts.models import Draft
from tests.factories import ClientFactory, MembershipFactory

pytestmark = pytest.mark.django_db

FORM = "request:client_data_change"


@pytest.fixture
def partner(client_user, other_company):
    MembershipFactory(user=client_user, client=other_company, is_default=False)
    return client_user


def acting_for(api, company):
    session = api.session
    session[ACTIVE_CLIENT_SESSION_KEY] = company.pk
    session.save()
    return api


def test_a_draft_typed_for_one_company_is_not_saved_as_the_other_s(api_as, partner, acme, other_company):
    api = acting_for(api_as(partner), other_company)  # another tab switched to Inna Firma
    body = {"form_key": FORM, "data": {"data__registered_street": "ul. Magazynowa 7"}, "acting_for": acme.pk}

    response = api.put("/api/drafts/", body, format="json")

    assert response.status_code == 409
    answer = response.json()
    assert answer["code"] == "client_changed" and answer["fields"] == {}
    assert "ACME Logistyka sp. z o.o." in answer["message"] and "Inna Firma S.A." in answer["message"]
    assert not Draft.objects.exists()


def test_the_first_company_s_draft_is_not_offered_after_the_switch(api_as, partner, acme, other_company):
    api = acting_for(api_as(partner), acme)
    assert api.put("/api/drafts/", {"form_key": FORM, "data": {"x": "1"}}, format="json").status_code == 200
    acting_for(api, other_company)
    read = api.get(f"/api/drafts/?form_key={FORM}&acting_for={acme.pk}")
    assert read.status_code == 409 and read.json()["code"] == "client_changed"
    assert api.delete(f"/api/drafts/?form_key={FORM}&acting_for={acme.pk}").status_code == 409
    assert Draft.objects.filter(client=acme).exists()  # kept for when the user acts for ACME again


def test_the_active_company_and_no_company_named_save_as_before(api_as, partner, acme, other_company):
    api = acting_for(api_as(partner), other_company)
    named = {"form_key": FORM, "data": {"x": "1"}, "acting_for": other_company.pk}
    assert api.put("/api/drafts/", named, format="json").status_code == 200
    unnamed = {"form_key": "message:new", "data": {"body": "b"}}
    assert api.put("/api/drafts/", unnamed, format="json").status_code == 200
    assert set(Draft.objects.values_list("client_id", flat=True)) == {other_company.pk}


def test_a_company_of_someone_else_is_no_switch_and_names_nothing(api_as, partner, other_company):
    stranger = ClientFactory(name="Obca Spółka")
    api = acting_for(api_as(partner), other_company)
    body = {"form_key": FORM, "data": {"x": "1"}, "acting_for": stranger.pk}
    response = api.put("/api/drafts/", body, format="json")
    assert response.status_code == 200 and "Obca" not in response.content.decode()
    assert Draft.objects.get().client == other_company
    assert api.get(f"/api/drafts/?form_key={FORM}&acting_for=abc").status_code == 400
