"""The schedule preview's endpoint asked with no contract (left out, 0, "", null): a 400 in the API's
error shape naming `contract_id`, never a 500 or a figure. The form no longer asks it so (request_form.js,
tests/browser/test_client_walk35.py); an API client may."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/requests/schedule-quote/"


@pytest.mark.parametrize("contract", [{}, {"contract_id": 0}, {"contract_id": ""}, {"contract_id": None}])
@pytest.mark.parametrize("kind", [{}, {"kind": "contract_value_change", "net_amount": "1000.00"}])
def test_no_contract_is_a_400_naming_the_field(api_as, client_user, acme_contract, contract, kind):
    response = api_as(client_user).post(URL, {**contract, **kind}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert list(body["fields"]) == ["contract_id"] and body["fields"]["contract_id"]
    assert "installments" not in body
