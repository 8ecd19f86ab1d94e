"""What the forms say about input they refuse: text direction overrides in multi-line text, a new contract
value not above the capital already repaid (with the figure), and a date the calendar lacks."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.core.money import format_money
from backend.messaging.models import MessageThread
from backend.requests_app.models import PortalRequest
from tests.factories import ContractFactory
from tests.requests_app.helpers import submission

pytestmark = pytest.mark.django_db

OVERRIDE_REFUSED = "Usuń znaki sterujące kierunkiem tekstu"


def field_errors(response) -> str:
    return " ".join(message for messages in response.json()["fields"].values() for message in messages)


@pytest.mark.parametrize("override", ["\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_a_request_description_with_a_direction_override_is_refused(api_as, client_user, override):
    body = submission(
        "other_request", data={"subject": "Zwrot", "message": f"konto {override}0987654321\u202c"}
    )

    response = api_as(client_user).post("/api/requests/", body, format="json")

    assert response.status_code == 400
    assert OVERRIDE_REFUSED in field_errors(response)
    assert not PortalRequest.objects.exists()


def test_direction_marks_and_line_breaks_stay_allowed_in_multi_line_text(api_as, client_user):
    message = "Adres: \u200fשלום\u200e\r\nul. Polna 1"
    body = submission("other_request", data={"subject": "Adres", "message": message})

    response = api_as(client_user).post("/api/requests/", body, format="json")

    assert response.status_code == 201, response.json()
    assert PortalRequest.objects.get().form_data["message"] == "Adres: \u200fשלום\u200e\nul. Polna 1"


def test_a_message_or_comment_with_an_override_is_refused_on_the_page_and_in_the_api(
    client, api_as, client_user, acme
):
    client.force_login(client_user)
    page = client.post(
        "/messages/new/",
        {"subject": "Konto", "category": "other", "body": "konto \u202e0987654321", "acting_for": acme.pk},
    )
    assert page.status_code == 400
    assert OVERRIDE_REFUSED in page.content.decode()
    api = api_as(client_user).post(
        "/api/messages/", {"subject": "Konto", "category": "other", "body": "konto \u2067x"}, format="json"
    )
    assert api.status_code == 400
    assert OVERRIDE_REFUSED in field_errors(api)
    assert not MessageThread.objects.exists()


def value_change(contract, amount: str) -> dict:
    data = {"option": "additional_equipment", "net_amount": amount, "currency": "PLN"}
    return submission("contract_value_change", contract=contract, data=data)


def repaid_capital(contract) -> Decimal:
    """The capital of the installments a change keeps (paid by the factory: all due before today)."""
    return sum((row.capital for row in contract.schedule_rows.filter(paid=True)), Decimal("0.00"))


def test_a_new_value_not_above_the_capital_repaid_names_that_capital(client, client_user, acme):
    contract = ContractFactory(client=acme, residual_percent=Decimal("0.00"))
    repaid = repaid_capital(contract)
    assert repaid > 0
    client.force_login(client_user)
    form = {
        "contract_id": contract.pk,
        "data__option": "additional_equipment",
        "data__net_amount": "1000,00",
        "data__currency": "PLN",
        "contact__name": "Anna Kowalska",
        "contact__phone": "601 234 567",
        "contact__email": client_user.email,
    }

    response = client.post("/requests/new/contract_value_change/", form)

    assert response.status_code == 400
    page = " ".join(response.content.decode().split())
    expected = (
        f"Kwota netto po zmianie musi być wyższa niż {format_money(repaid, 'PLN')} (kapitał już spłacony)."
    )
    assert " ".join(expected.split()) in page
    assert "Kwota finansowania musi być dodatnia" not in page


def test_with_a_final_value_the_message_names_the_lowest_amount_that_goes_in(api_as, client_user, acme):
    contract = ContractFactory(client=acme)  # a final value of 10%
    api = api_as(client_user)

    refused = api.post("/api/requests/", value_change(contract, "100.00"), format="json")

    assert refused.status_code == 400
    message = field_errors(refused)
    assert f"{format_money(repaid_capital(contract), 'PLN')} kapitału jest już spłacone" in message
    lowest = re.search(r"co najmniej ([\d\s\u00a0\u202f]+,\d\d)", message).group(1)
    lowest = Decimal(re.sub(r"\s", "", lowest).replace(",", "."))
    below = api.post("/api/requests/", value_change(contract, str(lowest - Decimal("0.01"))), format="json")
    assert "Kwota netto po zmianie" in field_errors(below)
    # (the request still wants its document attached: the amount itself goes in)
    assert "Kwota netto po zmianie" not in field_errors(
        api.post("/api/requests/", value_change(contract, str(lowest)), format="json")
    )


def test_a_date_missing_from_the_calendar_is_said_to_not_exist(api_as, client_user, acme):
    contract = ContractFactory(client=acme)
    next_year = timezone.localdate().year + 1
    february_29 = f"{next_year + (4 - next_year % 4) % 4 + 1}-02-29"  # a year after a leap year: no 29th
    data = {"countries": ["DE"], "date_from": february_29, "date_to": february_29}
    body = submission("vehicle_abroad_permit", contract=contract, data=data)

    response = api_as(client_user).post("/api/requests/", body, format="json")

    assert response.status_code == 400
    assert "Taka data nie istnieje." in field_errors(response)
    assert "zły format" not in field_errors(response)


def test_a_malformed_date_still_gets_the_format_to_use(api_as, client_user, acme):
    contract = ContractFactory(client=acme)
    start = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {"countries": ["DE"], "date_from": start, "date_to": "2027/02/31"}
    body = submission("vehicle_abroad_permit", contract=contract, data=data)

    response = api_as(client_user).post("/api/requests/", body, format="json")

    assert response.status_code == 400
    assert "dd.mm.rrrr" in field_errors(response)  # the format to use, the Polish way (30.11.2026 is read)
