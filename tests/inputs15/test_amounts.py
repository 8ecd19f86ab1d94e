"""One amount field (backend/core/money_fields.AmountField) for the pages and the API: the same number
gets the same answer in both, limits read as Polish writes numbers ("0,01"), and a decimal comma and
thousands spaces are read wherever an amount or a percent is (the schedule quote too)."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient
from django.urls import reverse

from backend.requests_app.catalogue import KIND_DECLARATIONS
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db
KIND = "contract_value_change"
HINT = "250,50: spacje"  # the pages' format hint ("Wpisz liczbę w postaci 1 250,50: spacje …")


def api_message(api, contract, typed: str) -> str:
    data = {"option": "new_purchase_price", "net_amount": typed, "currency": "PLN"}
    response = api.post("/api/requests/", submission(KIND, contract=contract, data=data), format="json")
    assert response.status_code == 400
    return " ".join(response.json()["fields"]["data.net_amount"])


def page_message(page, contract, typed: str) -> str:
    response = page.post(
        reverse("request-new-kind", args=[KIND]),
        {
            "idempotency_key": f"amount-{typed}",
            "contract_id": str(contract.pk),
            "contact__name": "Jan Kowalski",
            "contact__phone": "600100200",
            "contact__email": "jan@example.com",
            "data__option": "new_purchase_price",
            "data__net_amount": typed,
            "data__currency": "PLN",
            **{f"declarations__{code}": "on" for code in KIND_DECLARATIONS[KIND]},
        },
    )
    assert response.status_code == 400
    return " ".join(response.context["errors"]["data__net_amount"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 234,567", "2 cyfr"),
        ("1234,567", "2 cyfr"),
        ("1 234,56 zł", HINT),
        ("dużo", HINT),
        ("-5", "większą od zera"),
        ("0", "większą od zera"),
        ("0,00", "większą od zera"),
    ],
)
def test_the_page_and_the_api_say_the_same_of_an_amount(api_as, client_user, acme_contract, typed, expected):
    page = PageClient()
    page.force_login(client_user)
    on_page = page_message(page, acme_contract, typed)
    by_api = api_message(api_as(client_user), acme_contract, typed)
    assert on_page == by_api
    assert expected in by_api
    assert "0.01" not in by_api and "Wymagana poprawna liczba" not in by_api


def test_the_schedule_quote_reads_a_decimal_comma_and_spaces(api_as, client_user, acme_contract):
    api = api_as(client_user)
    unpaid = acme_contract.schedule_rows.filter(paid=False).count()
    for body in (
        {"installment_option": "keep", "residual_percent": "12,5"},
        {"installment_option": "amount", "net_installments": ["3 300,00"] * (unpaid - 1)},
    ):
        response = api.post(
            "/api/requests/schedule-quote/", {"contract_id": acme_contract.pk, **body}, format="json"
        )
        assert response.status_code == 200, (body, response.json())


def test_a_percent_over_its_limit_is_said_the_polish_way(api_as, client_user, acme_contract):
    response = api_as(client_user).post(
        "/api/requests/schedule-quote/",
        {"contract_id": acme_contract.pk, "installment_option": "keep", "residual_percent": "50,5"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["residual_percent"][0] == "Podaj wartość końcową od 0 do 50 procent."
