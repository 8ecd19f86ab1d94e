"""A submit is checked against the JSON Schema the catalogue shows for its kind, as the client sent it:
what that schema refuses (a declaration as "yes" or 1, a key `data` does not list, a number as text) is a
400 at the field, and nothing is stored. Every kind of the catalogue, through the API; the portal's own
forms, which post text and "on", still submit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as PageClient
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from backend.requests_app.catalogue import KIND_DECLARATIONS
from backend.requests_app.models import PortalRequest, RequestKind
from tests.factories import ContractFactory, InsurancePolicyFactory, LeasedItemFactory, SerialNumberFactory
from tests.requests_app.helpers import all_declarations, contact, submission, upload

pytestmark = pytest.mark.django_db

KINDS = [kind.value for kind in RequestKind]


def vehicle_contract(client):
    contract = ContractFactory(client=client)
    item = LeasedItemFactory(contract=contract, name="Skoda Octavia 2.0 TDI")
    SerialNumberFactory(item=item, kind="VIN", value="TMBJJ7NE0L0000001")
    InsurancePolicyFactory(contract=contract, territorial_scope="eu_eea")
    return contract


def valid_body(kind: str, api, contract) -> dict:
    """A body each kind's serializer and schema accept (the field values of the flow tests)."""
    today = timezone.localdate()
    if kind == "payment_date_change":
        return submission(kind, contract=contract, data={"payment_day": 20, "reason": "cash_flow"})
    if kind == "contract_value_change":
        data = {"option": "additional_equipment", "net_amount": "130000.00", "currency": "PLN"}
        return submission(kind, contract=contract, data=data, attachment_ids=[upload(api).json()["id"]])
    if kind == "schedule_change":
        return submission(kind, contract=contract, data={"months": 48, "installment_option": "auto"})
    if kind == "client_data_change":
        return submission(kind, data={"email": "nowy.adres@acme.pl", "phone": "+48 22 765 43 21"})
    if kind == "early_termination":
        effective = (today + timedelta(days=20)).isoformat()
        quote = api.post(
            f"/api/contracts/{contract.pk}/buyout-quotes/", {"effective_date": effective}, format="json"
        )
        return submission(kind, contract=contract, data={"quote_id": quote.json()["id"]})
    if kind == "vehicle_abroad_permit":
        trip = {
            "countries": ["DE", "CZ"],
            "date_from": (today + timedelta(days=10)).isoformat(),
            "date_to": (today + timedelta(days=19)).isoformat(),
        }
        return submission(kind, contract=vehicle_contract(contract.client), data=trip)
    return submission(kind, data={"subject": "Pytanie o polisę", "message": "Czy mogę zmienić polisę?"})


def catalogue_schema(api, kind: str) -> dict:
    groups = api.get("/api/requests/catalogue/").json()
    return next(k["form_schema"] for group in groups for k in group["kinds"] if k["kind"] == kind)


def post(api, body):
    return api.post("/api/requests/", body, format="json")


def refused_fields(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    return response.json()["fields"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_valid_body_fits_the_catalogues_schema_and_is_accepted(kind, api_as, client_user, acme_contract):
    # given
    api = api_as(client_user)
    body = valid_body(kind, api, acme_contract)

    # when
    problems = list(Draft202012Validator(catalogue_schema(api, kind)).iter_errors(body))
    response = post(api, body)

    # then
    assert problems == []
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("kind", KINDS)
def test_a_key_data_does_not_list_is_refused_at_that_field(kind, api_as, client_user, acme_contract):
    # given
    api = api_as(client_user)
    body = valid_body(kind, api, acme_contract)
    body["data"]["colour"] = "red"

    # when
    response = post(api, body)

    # then
    assert refused_fields(response) == {"data.colour": ["To pole nie jest tu oczekiwane."]}
    assert not PortalRequest.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sent", ["yes", 1, "true", "on"])
def test_a_declaration_not_sent_as_true_is_refused(kind, sent, api_as, client_user, acme_contract):
    # given
    api = api_as(client_user)
    body = valid_body(kind, api, acme_contract)
    body["declarations"]["data_true"] = sent

    # when
    response = post(api, body)

    # then
    assert refused_fields(response) == {"declarations.data_true": ["Podaj true albo false."]}
    assert not PortalRequest.objects.exists()


def test_a_number_sent_as_text_is_refused_in_the_users_language(api_as, client_user, acme_contract):
    # given
    client_user.language = "en"
    client_user.save()
    body = submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": "20", "reason": "cash_flow"}
    )

    # when
    response = post(api_as(client_user), body)

    # then
    assert refused_fields(response) == {"data.payment_day": ["Enter a whole number."]}


def test_schema_and_serializer_errors_come_together_each_field_once(api_as, client_user, acme_contract):
    # given a day the serializer refuses (its message kept) and a key only the schema refuses
    body = submission(
        "payment_date_change",
        contract=acme_contract,
        data={"payment_day": 17, "reason": "cash_flow", "note": "x"},
    )
    body["declarations"]["fees"] = False

    # when
    fields = refused_fields(post(api_as(client_user), body))

    # then
    assert fields == {
        "data.payment_day": ['"17" nie jest poprawnym wyborem.'],
        "data.note": ["To pole nie jest tu oczekiwane."],
        "declarations.fees": ["To oświadczenie musi zostać zaakceptowane."],
    }


def test_a_form_body_cannot_carry_a_declaration(api_as, client_user):
    # given the dotted keys of a form body, which hold text only
    body = {
        "kind": "other_request",
        **{f"contact.{key}": value for key, value in contact().items()},
        **{f"declarations.{code}": "true" for code in KIND_DECLARATIONS["other_request"]},
        "data.subject": "Pytanie",
        "data.message": "Treść",
    }

    # when
    response = api_as(client_user).post("/api/requests/", body)

    # then it is refused at the declarations, not read as a missing contact
    fields = refused_fields(response)
    assert set(fields) == {f"declarations.{code}" for code in KIND_DECLARATIONS["other_request"]}
    assert not PortalRequest.objects.exists()


def test_the_buyout_request_from_a_quote_takes_only_true(api_as, client_user, acme_contract):
    # given
    api = api_as(client_user)
    quote = valid_body("early_termination", api, acme_contract)["data"]["quote_id"]
    declarations = {**all_declarations("early_termination"), "fees": 1}

    # when
    response = api.post(
        f"/api/contracts/{acme_contract.pk}/buyout-quotes/{quote}/request/",
        {"contact": contact(), "declarations": declarations},
        format="json",
    )

    # then
    assert refused_fields(response) == {"declarations.fees": ["Podaj true albo false."]}
    assert not PortalRequest.objects.exists()


@pytest.mark.parametrize(
    ("kind", "inputs"),
    [
        ("payment_date_change", {"data__payment_day": "25", "data__reason": "cash_flow"}),
        ("schedule_change", {"data__months": "48", "data__installment_option": "auto"}),
    ],
)
def test_the_page_form_sends_its_typed_numbers_as_numbers(kind, inputs, client_user, acme_contract):
    # given the portal's form: every input is text, a checkbox "on"
    page = PageClient()
    page.force_login(client_user)
    form = {
        "idempotency_key": f"schema-{kind}",
        "contract_id": str(acme_contract.pk),
        "contact__name": "Anna Kowalska",
        "contact__phone": "601234567",
        "contact__email": "anna@acme.pl",
        **inputs,
        **{f"declarations__{code}": "on" for code in KIND_DECLARATIONS[kind]},
    }

    # when
    response = page.post(reverse("request-new-kind", args=[kind]), form)

    # then
    assert response.status_code == 302, response.context and response.context["errors"]
    stored = PortalRequest.objects.get()
    field = "payment_day" if kind == "payment_date_change" else "months"
    assert stored.form_data[field] == int(inputs[f"data__{field}"])
