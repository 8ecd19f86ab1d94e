"""POST /api/requests/ takes an amount as the form's JSON Schema promises it (`^[0-9]+([.,][0-9]{1,2})?$`,
the catalogue's form_schema): "750000,00" as well as "750000.00"; what no reading makes a number stays 400."""

from __future__ import annotations

import re

import pytest

from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import submit_value_change

pytestmark = pytest.mark.django_db


def test_the_schema_promises_the_comma(api_as, client_user):
    catalogue = api_as(client_user).get("/api/requests/catalogue/").json()
    kinds = [kind for group in catalogue for kind in group["kinds"]]
    (schema,) = [kind["form_schema"] for kind in kinds if kind["kind"] == "contract_value_change"]
    assert re.fullmatch(schema["properties"]["data"]["properties"]["net_amount"]["pattern"], "750000,00")


@pytest.mark.parametrize("typed", ["130000,00", "130 000,50", "130000.5", "130000"])
def test_a_value_change_takes_the_amount_with_a_comma(api_as, client_user, acme_contract, typed):
    response = submit_value_change(api_as(client_user), acme_contract, typed)

    assert response.status_code == 201, response.json()
    expected = typed.replace(" ", "").replace(",", ".")
    stored = PortalRequest.objects.get(pk=response.json()["id"]).form_data["net_amount"]
    assert float(stored) == float(expected)


@pytest.mark.parametrize("typed", ["130.000", "130,000.00", "13O000"])
def test_what_is_no_number_stays_refused(api_as, client_user, acme_contract, typed):
    response = submit_value_change(api_as(client_user), acme_contract, typed)

    assert response.status_code == 400
    # the format to use, as the page says it (one amount field for page and API)
    assert response.json()["fields"]["data.net_amount"][0].startswith("Wpisz liczbę w postaci 1\xa0250,50")


def test_the_preview_takes_it_too(api_as, client_user, acme_contract):
    response = api_as(client_user).post(
        "/api/requests/schedule-quote/",
        {"contract_id": acme_contract.pk, "kind": "contract_value_change", "net_amount": "130000,00"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["net_value"] == "130000.00"
