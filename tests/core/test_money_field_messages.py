"""What an amount field says of a refused number: the real rule (a net price is above zero, in the
preview as in the submit, not "at least 0,00") and a digit limit in the language's plural form ("2 cyfry",
"5 cyfr", "1 digit")."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework import serializers

from backend.core.money_fields import AmountField

pytestmark = pytest.mark.django_db


def refusal(typed: str, **field) -> str:
    class Input(serializers.Serializer):
        amount = AmountField(**field)

    form = Input(data={"amount": typed})
    assert not form.is_valid()
    return " ".join(str(message) for message in form.errors["amount"])


@pytest.mark.parametrize(
    ("language", "places", "typed", "expected"),
    [
        ("pl", 2, "1,234", "Wpisz nie więcej niż 2 cyfry po przecinku."),
        ("pl", 5, "1,234567", "Wpisz nie więcej niż 5 cyfr po przecinku."),
        ("pl", 1, "1,23", "Wpisz nie więcej niż 1 cyfrę po przecinku."),
        ("en", 1, "1,23", "Enter no more than 1 decimal place."),
        ("en", 2, "1,234", "Enter no more than 2 decimal places."),
    ],
)
def test_a_decimal_places_limit_is_said_in_the_plural_form_of_its_number(language, places, typed, expected):
    with translation.override(language):
        assert refusal(typed, max_digits=14, decimal_places=places) == expected


def test_the_whole_digits_limit_too():
    with translation.override("pl"):
        assert refusal("1234", max_digits=5, decimal_places=2) == (
            "Wpisz nie więcej niż 3 cyfry przed przecinkiem."
        )
        assert refusal("123456", max_digits=7, decimal_places=2) == (
            "Wpisz nie więcej niż 5 cyfr przed przecinkiem."
        )


@pytest.mark.parametrize("typed", ["-5", "0", "0,00"])
def test_the_value_change_preview_states_the_submits_rule_for_a_net_price(
    api_as, client_user, acme_contract, typed
):
    response = api_as(client_user).post(
        "/api/requests/schedule-quote/",
        {"contract_id": acme_contract.pk, "kind": "contract_value_change", "net_amount": typed},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"]["net_amount"] == ["Podaj kwotę większą od zera."]


def test_the_schedule_preview_refuses_a_zero_installment_as_the_submit_does(
    api_as, client_user, acme_contract
):
    response = api_as(client_user).post(
        "/api/requests/schedule-quote/",
        {"contract_id": acme_contract.pk, "installment_option": "amount", "net_installments": ["0"]},
        format="json",
    )

    assert response.status_code == 400
    assert "Podaj kwotę większą od zera." in str(response.json()["fields"])


def test_a_field_copied_for_each_input_reuses_its_digit_messages_and_still_speaks_each_language():
    # DRF copies every declared field for each serializer it validates with; a digit message made anew
    # per copy cost a new lazy proxy class each (#18: 0.7 ms of every approval, whose input has two rates).
    from backend.requests_app.inputs import StaffApproveInputSerializer

    first, second = (StaffApproveInputSerializer(data={}).fields["exchange_rate"] for _ in range(2))
    assert first is not second
    for key in ("max_digits", "max_decimal_places", "max_whole_digits"):
        assert first.error_messages[key] is second.error_messages[key]
    for language, expected in (
        ("en", "Enter no more than 4 decimal places."),
        ("pl", "Wpisz nie więcej niż 4 cyfry po przecinku."),
        ("en", "Enter no more than 4 decimal places."),
    ):
        with translation.override(language):
            assert refusal("4,25678", max_digits=10, decimal_places=4) == expected
