"""The staff API tells what the staff task page says before the decision: `approval_refusal`, why an
approval would be refused now (the contract ended, or an open early termination request's quote holds it),
computed by the same check the approval makes (effects.approval_refusal); documented in the schema. The
fewest characters of each decision's text are already in `current_task.form_schema` (not repeated)."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.contracts.models import Contract
from backend.requests_app.decisions import decision_field_rules
from backend.requests_app.models import PortalRequest
from tests.effects_walk.helpers import approve, new_buyout_quote, request_buyout, submit
from workflows.forms import min_length

pytestmark = pytest.mark.django_db

PAYMENT_DAY = {"payment_day": 20, "reason": "cash_flow"}


def _detail(api, request_id: int, language: str = "pl") -> dict:
    response = api.get(f"/api/staff/requests/{request_id}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _held_change(api_as, client_user, contract) -> tuple[dict, dict]:
    """A payment day change submitted while an early termination request holds a quote: (change, buyout)."""
    client_api = api_as(client_user)
    quote = new_buyout_quote(client_api, contract)
    buyout = request_buyout(client_api, contract, quote["id"])
    assert buyout.status_code == 201, buyout.json()
    change = submit(client_api, "payment_date_change", contract, PAYMENT_DAY)
    assert change.status_code == 201, change.json()
    return change.json(), buyout.json()


def test_the_detail_names_the_refusal_and_the_request_to_decide_first(
    api_as, client_user, bok_staff, acme_contract
):
    change, buyout = _held_change(api_as, client_user, acme_contract)
    staff_api = api_as(bok_staff)

    refusal = _detail(staff_api, change["id"])["approval_refusal"]

    assert refusal["code"] == "buyout_in_progress"
    assert refusal["blocking_request"] == {"id": buyout["id"], "number": buyout["number"]}
    assert f"Wniosek o wcześniejsze zakończenie umowy {buyout['number']} jest otwarty" in refusal["message"]
    # the approval answers the same words the detail said up front
    refused = approve(staff_api, change["id"])
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["fields"]["decision"]) == (
        refusal["code"],
        [refusal["message"]],
    )


def test_the_refusal_reads_in_the_callers_language(api_as, client_user, bok_staff, acme_contract):
    change, buyout = _held_change(api_as, client_user, acme_contract)
    bok_staff.language = "en"
    bok_staff.save(update_fields=["language"])

    refusal = _detail(api_as(bok_staff), change["id"], "en")["approval_refusal"]

    assert refusal["message"].startswith(f"The early termination request {buyout['number']} of this contract")


def test_an_ended_contract_is_said_without_a_request_to_decide_first(
    api_as, client_user, bok_staff, acme_contract
):
    change = submit(api_as(client_user), "payment_date_change", acme_contract, PAYMENT_DAY).json()
    Contract.objects.filter(pk=acme_contract.pk).update(status=Contract.Status.TERMINATED)

    refusal = _detail(api_as(bok_staff), change["id"])["approval_refusal"]

    assert refusal["code"] == "contract_not_open" and refusal["blocking_request"] is None
    assert "nie jest już aktywna" in refusal["message"]


def test_null_when_nothing_refuses_or_no_decision_waits(api_as, client_user, bok_staff, acme_contract):
    change = submit(api_as(client_user), "payment_date_change", acme_contract, PAYMENT_DAY).json()
    staff_api = api_as(bok_staff)
    assert "approval_refusal" in _detail(staff_api, change["id"])
    assert _detail(staff_api, change["id"])["approval_refusal"] is None

    # a request waiting for the client's reply takes no decision: nothing to say of an approval
    asked = staff_api.post(
        f"/api/staff/requests/{change['id']}/ask-client/", {"question": "Proszę o skan."}, format="json"
    )
    assert asked.status_code == 200, asked.json()
    Contract.objects.filter(pk=acme_contract.pk).update(status=Contract.Status.TERMINATED)
    assert _detail(staff_api, change["id"])["approval_refusal"] is None


def test_the_client_detail_does_not_carry_the_staff_field(api_as, client_user, acme_contract):
    client_api = api_as(client_user)
    change = submit(client_api, "payment_date_change", acme_contract, PAYMENT_DAY).json()

    assert "approval_refusal" not in client_api.get(f"/api/requests/{change['id']}/").json()


def test_the_form_schema_already_says_each_decision_texts_fewest_characters(
    api_as, client_user, bok_staff, acme_contract
):
    # not repeated beside it: the API's form schema holds the floors the staff page reads
    change = submit(api_as(client_user), "payment_date_change", acme_contract, PAYMENT_DAY).json()
    schema = _detail(api_as(bok_staff), change["id"])["current_task"]["form_schema"]

    floors = decision_field_rules(PortalRequest.objects.get(pk=change["id"])).min_lengths
    assert floors["reason"] > 0 and floors["question"] > 0
    assert {
        field: min_length(schema, {"decision": decision}, field)
        for decision, field in [("ask_client", "question"), ("reject", "reason"), ("approve", "answer")]
    } == floors


def test_the_schema_documents_the_field():
    browser = Client()
    schema = browser.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    detail = schema["paths"]["/api/staff/requests/{request_id}/"]["get"]
    ref = detail["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    components = schema["components"]["schemas"]

    field = components[ref]["properties"]["approval_refusal"]
    assert "approval would be refused" in field["description"]
    refusal = components[field["allOf"][0]["$ref"].rsplit("/", 1)[1]] if "allOf" in field else field
    assert set(refusal["properties"]) == {"code", "message", "blocking_request"}
    assert "approval_refusal" in detail["description"]
