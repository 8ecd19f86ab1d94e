"""Staff deciding a contract change see the contract beside what the client asks for: each changed figure as
it is now and as requested, the first re-planned installment before and after (the plan the client's
preview and the approval use), and a card of the contract with the client's overdue invoices."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from backend.core.money import format_date, format_money
from tests.effects_walk.helpers import approve, submit, submit_value_change
from tests.factories import InvoiceFactory
from tests.logged_in_clients import browsing_as
from tests.staff_walk14.helpers import task_page_text

pytestmark = pytest.mark.django_db


def first_replanned(contract):
    rows = list(contract.schedule_rows.order_by("number"))
    return next(row for row in rows if not row.paid and row.due_date >= timezone.localdate())


def quoted_first_net(api, contract, **body) -> str:
    """The first new net installment as the client's preview shows it (POST /api/requests/schedule-quote/)."""
    response = api.post("/api/requests/schedule-quote/", {"contract_id": contract.pk, **body}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["first_net_display"]


def test_a_value_change_shows_the_current_value_and_the_installment_before_and_after(
    api_as, client_user, bok_staff, acme_contract
):
    client_api = api_as(client_user)
    submitted = submit_value_change(client_api, acme_contract, "130000.00")
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]
    row = first_replanned(acme_contract)
    preview = quoted_first_net(
        client_api, acme_contract, kind="contract_value_change", net_amount="130000.00"
    )

    text = task_page_text(browsing_as(bok_staff), request_id)

    assert f"Obecna wartość netto umowy {format_money(Decimal('120000.00'))}" in text
    assert f"Kwota netto po zmianie {format_money(Decimal('130000.00'))}" in text
    assert f"Obecna rata netto (nr {row.number}) {format_money(row.net)}" in text
    assert f"Rata netto po zmianie (nr {row.number}) {preview}" in text

    # once approved the contract holds the new value: the request keeps what it changed from
    assert approve(api_as(bok_staff), request_id).status_code == 200
    decided = task_page_text(browsing_as(bok_staff), request_id)
    assert f"Poprzednia wartość netto umowy {format_money(Decimal('120000.00'))}" in decided
    assert f"Poprzednia rata netto (nr {row.number}) {format_money(row.net)}" in decided


def test_a_schedule_change_shows_the_current_period_and_the_resulting_installment(
    api_as, client_user, bok_staff, acme_contract
):
    client_api = api_as(client_user)
    data = {"months": 60, "installment_option": "auto"}
    submitted = submit(client_api, "schedule_change", acme_contract, data)
    assert submitted.status_code == 201, submitted.json()
    row = first_replanned(acme_contract)
    preview = quoted_first_net(client_api, acme_contract, kind="schedule_change", **data)

    text = task_page_text(browsing_as(bok_staff), submitted.json()["id"])

    assert "Obecny okres leasingu (miesiące) 36 Nowy okres leasingu (miesiące) 60" in text
    assert f"Obecna rata netto (nr {row.number}) {format_money(row.net)}" in text
    assert f"Rata netto po zmianie (nr {row.number}) {preview}" in text


def test_the_contract_card_and_the_permit_rule_name_the_overdue_invoices(
    api_as, client_user, bok_staff, acme_contract
):
    today = timezone.localdate()
    overdue = InvoiceFactory(
        client=acme_contract.client,
        contract=acme_contract,
        number="FV/2026/0000777",
        issue_date=today - timedelta(days=40),
        due_date=today - timedelta(days=26),
        paid_amount=Decimal("230.00"),
    )
    InvoiceFactory(client=acme_contract.client, contract=acme_contract, due_date=today + timedelta(days=5))
    submitted = submit_value_change(api_as(client_user), acme_contract, "130000.00")
    request_id = submitted.json()["id"]
    detail = api_as(client_user).get(f"/api/contracts/{acme_contract.pk}/").json()
    row = first_replanned(acme_contract)

    page = browsing_as(bok_staff)
    body = page.get(f"/staff/tasks/{request_id}/").content.decode()
    text = task_page_text(page, request_id)

    assert f'<a href="#contract-card">{acme_contract.number}</a>' in body  # the header leads to the card
    assert f"Umowa {acme_contract.number}" in text
    assert f"{format_money(Decimal(detail['capital_remaining']))}" in text  # as the client's contract page
    assert f"Najbliższa rata nr {row.number}, termin {format_date(row.due_date)}" in text
    assert "Zaległa faktura klienta (1)" in text
    assert f"FV/2026/0000777 {format_date(overdue.due_date)} {format_money(Decimal('1000.00'))}" in text
