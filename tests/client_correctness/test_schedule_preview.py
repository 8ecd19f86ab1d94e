"""The schedule-change preview and the applied schedule: one computation, one money formatter."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from backend.contracts.models import Contract
from backend.core.money import format_amount, format_money
from backend.requests_app.change_plans import schedule_change_plan_for
from backend.requests_app.effects import _apply_plan
from backend.requests_app.validation import RequestSubmitInputSerializer
from tests.client_correctness.helpers import NBSP, submission, submit_and_approve, visible_text
from tests.factories import ContractFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def stored_form_data(client, contract, data: dict) -> dict:
    """What the submit stores for the request: the serializer's validated data (as the service gets it)."""
    serializer = RequestSubmitInputSerializer(
        data=submission("schedule_change", contract=contract, data=data), context={"client": client}
    )
    assert serializer.is_valid(), serializer.errors
    return serializer.validated_data["data"]


def applied_rows(contract: Contract, form_data: dict) -> list[tuple]:
    """The schedule rows the approval writes, read back from the database, then rolled back."""
    rows: list[tuple] = []
    try:
        with transaction.atomic():
            locked = Contract.objects.select_for_update().get(pk=contract.pk)
            _apply_plan(locked, schedule_change_plan_for(locked, form_data))
            for row in locked.schedule_rows.filter(paid=False).order_by("number"):
                rows.append((row.number, row.due_date.isoformat(), row.net, row.gross, row.capital_remaining))
            raise Rollback
    except Rollback:
        pass
    return rows


def quoted_rows(payload: dict) -> list[tuple]:
    return [
        (r["number"], r["due_date"], Decimal(r["net"]), Decimal(r["gross"]), Decimal(r["capital_remaining"]))
        for r in payload["installments"]
    ]


@pytest.fixture
def contract(acme):
    return ContractFactory(
        client=acme, net_value=Decimal("412345.67"), months=60, residual_percent=Decimal("12.50")
    )


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    residual=st.one_of(st.none(), st.decimals(min_value=0, max_value=50, places=2)),
    months=st.one_of(st.none(), st.integers(min_value=12, max_value=120)),
)
def test_preview_and_applied_schedule_agree_to_the_grosz(
    api_as, client_user, acme, contract, residual, months
):
    data: dict = {"installment_option": "auto"}
    if residual is not None:
        data["residual_percent"] = str(residual)
    if months is not None:
        data["months"] = months
    if residual is None and months is None:
        data["months"] = 72
    quote = api_as(client_user).post(
        "/api/requests/schedule-quote/", {"contract_id": contract.pk, **data}, format="json"
    )
    if quote.status_code == 400:
        # The same combination is refused by the submit as well: nothing would be applied.
        serializer = RequestSubmitInputSerializer(
            data=submission("schedule_change", contract=contract, data=data), context={"client": acme}
        )
        assert not serializer.is_valid()
        return
    assert quote.status_code == 200, quote.json()
    assert quoted_rows(quote.json()) == applied_rows(contract, stored_form_data(acme, contract, data))


def test_the_approved_schedule_shows_the_previewed_amounts_with_the_one_formatter(
    client, api_as, client_user, bok_staff, contract
):
    data = {"residual_percent": "7.25", "months": 72, "installment_option": "auto"}
    api = api_as(client_user)
    quote = api.post(
        "/api/requests/schedule-quote/", {"contract_id": contract.pk, **data}, format="json"
    ).json()
    first = quote["installments"][0]
    # The preview's texts come from backend.core.money: "7 918,55" with a non-breaking space.
    assert quote["first_net_display"] == format_money(Decimal(first["net"]), "PLN")
    assert quote["net_value_display"] == format_money(Decimal(quote["net_value"]), "PLN")
    assert first["net_display"] == format_amount(Decimal(first["net"]))
    assert first["gross_display"] == format_amount(Decimal(first["gross"]))
    assert NBSP in first["gross_display"]  # grouped thousands, as everywhere in the portal

    submit_and_approve(api_as, client_user, bok_staff, "schedule_change", contract=contract, data=data)

    page = visible_text(logged_in(client, client_user).get(f"/contracts/{contract.pk}/").content.decode())
    for row in quote["installments"][:6]:
        assert row["net_display"] in page
        assert row["gross_display"] in page
        assert row["capital_remaining_display"] in page
    row = contract.schedule_rows.get(number=first["number"])
    assert format_amount(row.net) == first["net_display"]


def test_the_preview_script_does_not_format_money_itself():
    script = Path(settings.BASE_DIR, "portal_ui/static/portal_ui/requests/request_form.js").read_text()
    for own_format in ("Intl.NumberFormat", "toLocaleString", "toFixed"):
        assert own_format not in script
    for server_text in ("first_net_display", "net_display", "gross_display", "capital_remaining_display"):
        assert server_text in script


def test_the_preview_follows_the_users_language(api_as, client_user, contract):
    client_user.language = "en"
    client_user.save()
    quote = (
        api_as(client_user)
        .post("/api/requests/schedule-quote/", {"contract_id": contract.pk, "months": 72}, format="json")
        .json()
    )
    first = quote["installments"][0]
    assert first["net_display"] == format_amount(Decimal(first["net"]), lang="en")


def test_the_request_page_shows_the_submitted_amounts_with_the_one_formatter(
    client, api_as, client_user, contract
):
    level = schedule_change_plan_for(contract, {"installment_option": "auto"}).installments[0].net
    amounts = [str(level + Decimal("100.00"))] * (contract.schedule_rows.filter(paid=False).count() - 1)
    data = {"installment_option": "amount", "net_installments": amounts, "residual_percent": "12.5"}
    submitted = api_as(client_user).post(
        "/api/requests/", submission("schedule_change", contract=contract, data=data), format="json"
    )
    assert submitted.status_code == 201, submitted.json()
    page = visible_text(
        logged_in(client, client_user).get(f"/requests/{submitted.json()['id']}/").content.decode()
    )
    assert format_amount(level + Decimal("100.00")) in page
    assert "12,50" in page


def test_the_preview_refuses_a_final_value_for_a_loan_as_the_submit_does(api_as, client_user, acme):
    loan = ContractFactory(client=acme, type=Contract.Type.LOAN, residual_percent=Decimal("0"))
    data = {"residual_percent": "10.00", "installment_option": "auto"}
    quote = api_as(client_user).post(
        "/api/requests/schedule-quote/", {"contract_id": loan.pk, **data}, format="json"
    )
    assert quote.status_code == 400
    assert quote.json()["fields"]["residual_percent"][0].startswith("Pożyczka nie ma wartości końcowej")
    serializer = RequestSubmitInputSerializer(
        data=submission("schedule_change", contract=loan, data=data), context={"client": acme}
    )
    assert not serializer.is_valid()
    # Without the final value the loan's preview is answered.
    months_only = api_as(client_user).post(
        "/api/requests/schedule-quote/",
        {"contract_id": loan.pk, "months": 48, "installment_option": "auto"},
        format="json",
    )
    assert months_only.status_code == 200, months_only.json()
