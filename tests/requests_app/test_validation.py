"""Every submit rule gives a field-level error in the user's language, and a corrected resend succeeds."""

from __future__ import annotations

import pytest

from backend.requests_app.models import PortalRequest
from tests.factories import ContractFactory
from tests.requests_app.helpers import submission, upload

pytestmark = pytest.mark.django_db

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


def post(api, body):
    return api.post("/api/requests/", body, format="json")


def fields_of(response) -> dict:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    return response.json()["fields"]


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({"name": "", "phone": "601234567", "email": "a@acme.pl"}, "contact.name"),
        ({"name": "Anna", "phone": "12345", "email": "a@acme.pl"}, "contact.phone"),
        ({"name": "Anna", "phone": "+48 12 34", "email": "a@acme.pl"}, "contact.phone"),
        ({"name": "Anna", "phone": "telefon", "email": "a@acme.pl"}, "contact.phone"),
        ({"name": "Anna", "phone": "601234567", "email": "not-an-email"}, "contact.email"),
    ],
)
def test_contact_person_is_validated(contact, field, api_as, client_user, acme_contract):
    # given
    body = submission("payment_date_change", contract=acme_contract, data=PAYMENT)
    body["contact"] = contact

    # when
    response = post(api_as(client_user), body)

    # then
    assert field in fields_of(response)


@pytest.mark.parametrize(
    "phone", ["601 234 567", "+48 601-234-567", "+49 30 1234 5678", "(+44) 20 7946 0958"]
)
def test_polish_and_international_phones_are_accepted(phone, api_as, client_user, acme_contract):
    # given
    body = submission("payment_date_change", contract=acme_contract, data=PAYMENT)
    body["contact"]["phone"] = phone

    # when
    response = post(api_as(client_user), body)

    # then
    assert response.status_code == 201, response.json()


def test_every_declaration_must_be_accepted_and_the_message_is_polish(api_as, client_user, acme_contract):
    # given
    body = submission("payment_date_change", contract=acme_contract, data=PAYMENT)
    body["declarations"]["fees"] = False
    del body["declarations"]["authorised"]

    # when
    response = post(api_as(client_user), body)

    # then
    fields = fields_of(response)
    assert set(fields) == {"declarations.fees", "declarations.authorised"}
    assert fields["declarations.fees"] == ["To oświadczenie musi zostać zaakceptowane."]


def test_messages_follow_the_users_language(api_as, client_user, acme_contract):
    # given
    client_user.language = "en"
    client_user.save()
    body = submission("payment_date_change", contract=acme_contract, data=PAYMENT)
    body["declarations"]["fees"] = False

    # when
    response = post(api_as(client_user), body)

    # then
    assert fields_of(response)["declarations.fees"] == ["This declaration must be accepted."]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"payment_day": 17, "reason": "cash_flow"}, "data.payment_day"),
        ({"payment_day": 20}, "data.reason"),
        ({"payment_day": 20, "reason": "mood"}, "data.reason"),
        ({"payment_day": 20, "reason": "other"}, "data.reason_other"),
        ({"payment_day": 20, "reason": "other", "reason_other": "  "}, "data.reason_other"),
    ],
)
def test_payment_date_change_rules(data, field, api_as, client_user, acme_contract):
    response = post(api_as(client_user), submission("payment_date_change", contract=acme_contract, data=data))
    assert field in fields_of(response)


def test_payment_day_defaults_to_the_current_day(api_as, client_user, acme):
    # given a contract paid on the 15th and no day chosen
    contract = ContractFactory(client=acme, payment_day=15)
    body = submission("payment_date_change", contract=contract, data={"reason": "cash_flow"})

    # when
    response = post(api_as(client_user), body)

    # then the preselected current day is not a change
    assert fields_of(response)["data.payment_day"] == ["Nowy dzień płatności jest taki sam jak obecny."]


def test_other_reason_with_text_is_accepted(api_as, client_user, acme_contract):
    data = {"payment_day": 25, "reason": "other", "reason_other": "Zmiana banku"}
    response = post(api_as(client_user), submission("payment_date_change", contract=acme_contract, data=data))
    assert response.status_code == 201
    detail = api_as(client_user).get(f"/api/requests/{response.json()['id']}/")
    assert detail.json()["form_data"] == {
        "payment_day": 25,
        "reason": "other",
        "reason_other": "Zmiana banku",
        "previous_values": {"payment_day": 10},  # the day it changes from, stored at submit
    }


def test_contract_is_required_and_must_be_the_clients(api_as, client_user, acme_contract, other_contract):
    api = api_as(client_user)
    missing = submission("payment_date_change", data=PAYMENT)
    assert "contract_id" in fields_of(post(api, missing))
    foreign = submission("payment_date_change", contract=other_contract, data=PAYMENT)
    assert "contract_id" in fields_of(post(api, foreign))


VALUE = {"option": "new_purchase_price", "net_amount": "125000.00", "currency": "PLN"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**VALUE, "option": "cheaper"}, "data.option"),
        ({**VALUE, "net_amount": "0"}, "data.net_amount"),
        ({**VALUE, "net_amount": "-10"}, "data.net_amount"),
        ({**VALUE, "net_amount": "abc"}, "data.net_amount"),
        ({**VALUE, "currency": "USD"}, "data.currency"),
        ({**VALUE, "net_amount": "1.00"}, "data.net_amount"),  # below what is already repaid
    ],
)
def test_contract_value_change_rules(data, field, api_as, client_user, acme_contract):
    api = api_as(client_user)
    attachment_id = upload(api).json()["id"]
    body = submission(
        "contract_value_change", contract=acme_contract, data=data, attachment_ids=[attachment_id]
    )
    assert field in fields_of(post(api, body))


def test_contract_value_change_requires_an_attachment(api_as, client_user, acme_contract):
    response = post(
        api_as(client_user), submission("contract_value_change", contract=acme_contract, data=VALUE)
    )
    assert fields_of(response)["attachment_ids"] == ["Dołącz co najmniej jeden dokument."]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"installment_option": "keep"}, "data.non_field_errors"),  # nothing changes
        ({"installment_option": "amount"}, "data.net_installments"),
        ({"installment_option": "auto", "months": 3}, "data.non_field_errors"),  # shorter than already paid
        ({"installment_option": "auto", "residual_percent": "60"}, "data.residual_percent"),
        ({"installment_option": "auto", "months": 121}, "data.months"),
        ({"installment_option": "amount", "net_installments": ["1.00", "2.00"]}, "data.non_field_errors"),
        ({"installment_option": "sometimes"}, "data.installment_option"),
    ],
)
def test_schedule_change_rules(data, field, api_as, client_user, acme_contract):
    response = post(api_as(client_user), submission("schedule_change", contract=acme_contract, data=data))
    assert field in fields_of(response)


def test_schedule_quote_explains_an_impossible_combination(api_as, client_user, acme_contract):
    # when
    response = api_as(client_user).post(
        "/api/requests/schedule-quote/",
        {"contract_id": acme_contract.pk, "months": 2, "installment_option": "auto"},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert "Nowy okres musi być dłuższy" in response.json()["message"]
    assert "zapłaconych, wymagalnych lub zafakturowanych" in response.json()["message"]


def test_schedule_quote_for_every_installment_option(api_as, client_user, acme_contract):
    api = api_as(client_user)
    unpaid = acme_contract.schedule_rows.filter(paid=False).count()
    for body in (
        {"installment_option": "keep", "residual_percent": "12.00"},
        {"installment_option": "auto", "months": 40},
        {"installment_option": "amount", "net_installments": ["3300.00"] * (unpaid - 1)},
    ):
        response = api.post(
            "/api/requests/schedule-quote/", {"contract_id": acme_contract.pk, **body}, format="json"
        )
        assert response.status_code == 200, (body, response.json())
        assert response.json()["installments"]


def test_schedule_quote_of_another_clients_contract_is_not_found(api_as, client_user, other_contract):
    response = api_as(client_user).post(
        "/api/requests/schedule-quote/", {"contract_id": other_contract.pk}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "data.non_field_errors"),
        ({"email": "zly-adres"}, "data.email"),
        ({"bank_account": "PL00 1234"}, "data.bank_account"),
        ({"registered_postal_code": "00590"}, "data.registered_postal_code"),
        ({"phone": "123"}, "data.phone"),
    ],
)
def test_client_data_change_rules(data, field, api_as, client_user):
    response = post(api_as(client_user), submission("client_data_change", data=data))
    assert field in fields_of(response)


@pytest.mark.parametrize(
    ("data", "field"), [({"message": "x"}, "data.subject"), ({"subject": "x"}, "data.message")]
)
def test_other_request_rules(data, field, api_as, client_user):
    response = post(api_as(client_user), submission("other_request", data=data))
    assert field in fields_of(response)


def test_nothing_is_lost_a_rejected_submit_can_be_corrected_and_resent(api_as, client_user, acme_contract):
    # given an uploaded file and a submit with a mistake
    api = api_as(client_user)
    attachment_id = upload(api).json()["id"]
    body = submission(
        "contract_value_change",
        contract=acme_contract,
        data={**VALUE, "currency": "USD"},
        attachment_ids=[attachment_id],
    )
    assert post(api, body).status_code == 400
    assert PortalRequest.objects.count() == 0

    # when the corrected request is resent with the same attachment
    body["data"]["currency"] = "PLN"
    response = post(api, body)

    # then
    assert response.status_code == 201, response.json()
    detail = api.get(f"/api/requests/{response.json()['id']}/")
    assert [a["id"] for a in detail.json()["attachments"]] == [attachment_id]


@pytest.mark.parametrize(
    ("kind", "data", "field", "polish", "english"),
    [
        (
            "schedule_change",
            {"installment_option": "auto", "months": 999},
            "data.months",
            "Podaj liczbę miesięcy od 1 do 120.",
            "Enter a number of months from 1 to 120.",
        ),
        (
            "schedule_change",
            {"installment_option": "auto", "residual_percent": "999"},
            "data.residual_percent",
            "Podaj wartość końcową od 0 do 50 procent.",
            "Enter a final value from 0 to 50 percent.",
        ),
        (
            "contract_value_change",
            {**VALUE, "net_amount": "-5"},
            "data.net_amount",
            "Podaj kwotę większą od zera.",
            "Enter an amount greater than zero.",
        ),
    ],
)
def test_a_term_out_of_range_is_named_with_its_limits(
    kind, data, field, polish, english, api_as, client_user, acme_contract
):
    # given: the client's form, sent with a number outside the term's range
    api = api_as(client_user)
    attachments = [upload(api).json()["id"]] if kind == "contract_value_change" else None
    body = submission(kind, contract=acme_contract, data=data, attachment_ids=attachments)
    # when / then: the field says what to enter, not DRF's "Upewnij się, że ta wartość…"
    assert fields_of(post(api, body))[field] == [polish]
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    assert fields_of(post(api_as(client_user), body))[field] == [english]
