from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.invoices.selectors import get_home_summary
from tests.factories import ContractFactory, InvoiceFactory

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def test_home_shows_only_the_active_clients_invoices_in_polish(client, client_user, acme, other_company):
    # given an invoice of acme and one of another company
    InvoiceFactory(
        client=acme,
        number="FV/2026/11/000123",
        issue_date=date(2026, 11, 3),
        due_date=date(2026, 11, 17),
        gross_total=Decimal("12345.67"),
    )
    InvoiceFactory(client=other_company, number="FV/2026/11/999999")
    client.force_login(client_user)
    # when
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "FV/2026/11/000123" in body
    assert "FV/2026/11/999999" not in body
    assert f"12{NBSP}345,67{NBSP}zł" in body
    assert "03.11.2026" in body and "17.11.2026" in body
    assert "Ekran główny" in body and "Najnowsze faktury" in body and "Wszystkie" in body
    assert "ACME Logistyka" in body and "Anna Kowalska" in body


def test_home_shows_at_most_ten_newest_invoices(client, client_user, acme):
    today = timezone.localdate()
    for days in range(12):
        InvoiceFactory(client=acme, number=f"FV/T/{days:02d}", issue_date=today - timedelta(days=days * 30))
    client.force_login(client_user)
    body = client.get(reverse("home")).content.decode()
    assert "FV/T/00" in body and "FV/T/09" in body
    assert "FV/T/10" not in body and "FV/T/11" not in body


def test_home_shows_each_status_badge(client, client_user, acme):
    today = timezone.localdate()
    InvoiceFactory(client=acme, paid_amount=Decimal("1230.00"))
    InvoiceFactory(client=acme, due_date=today + timedelta(days=3))
    InvoiceFactory(client=acme, issue_date=today - timedelta(days=40), due_date=today - timedelta(days=26))
    InvoiceFactory(client=acme, paid_amount=Decimal("100.00"), due_date=today + timedelta(days=3))
    client.force_login(client_user)
    body = client.get(reverse("home")).content.decode()
    for css, label in [
        ("badge-paid", "Zapłacona"),
        ("badge-unpaid", "Niezapłacona"),
        ("badge-overdue", "Przeterminowana"),
        ("badge-partly_paid", "Częściowo zapłacona"),
    ]:
        assert f'<span class="badge {css}">{label}</span>' in body


def test_home_empty_state(client, client_user):
    client.force_login(client_user)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-empty"' in body
    assert "Nie ma jeszcze faktur." in body


def test_home_in_english_after_switching(client, client_user, acme):
    InvoiceFactory(client=acme, gross_total=Decimal("1234.50"))
    client.force_login(client_user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "Newest invoices" in body
    assert f"1,234.50{NBSP}PLN" in body


def test_home_navigation_lists_all_sections(client, client_user):
    client.force_login(client_user)
    body = client.get(reverse("home")).content.decode()
    for label in [
        "Faktury",
        "Stan rozliczeń",
        "Umowy",
        "Wnioski",
        "Dokumenty",
        "Archiwum",
        "Wiadomości",
        "Dane klienta",
        "Pomoc",
    ]:
        assert f">{label}</a>" in body
    assert '<a href="/" aria-current="page">Ekran główny</a>' in body


# --- get_home_summary -----------------------------------------------------------------------------


def test_summary_sums_balance_due_and_overdue_per_currency(acme, other_company):
    # given
    today = date(2026, 11, 25)
    InvoiceFactory(
        client=acme, gross_total=Decimal("1000.00"), paid_amount=Decimal("1000.00"), due_date=today
    )
    InvoiceFactory(
        client=acme, gross_total=Decimal("500.00"), paid_amount=Decimal("100.00"), due_date=date(2026, 11, 1)
    )
    InvoiceFactory(client=acme, gross_total=Decimal("300.00"), due_date=date(2026, 12, 5))
    InvoiceFactory(client=acme, gross_total=Decimal("200.00"), currency="EUR", due_date=date(2026, 10, 5))
    InvoiceFactory(client=other_company, gross_total=Decimal("9999.00"), due_date=date(2026, 1, 1))
    # when
    summary = get_home_summary(client=acme, today=today)
    # then
    assert summary["totals"] == [
        {"currency": "EUR", "balance_due": Decimal("200.00"), "overdue": Decimal("200.00")},
        {"currency": "PLN", "balance_due": Decimal("700.00"), "overdue": Decimal("400.00")},
    ]
    assert [str(row["balance_due"]) for row in summary["totals"]] == [
        "200.00",
        "700.00",
    ]  # grosze, not 700.000000
    assert len(summary["invoices"]) == 4


def test_summary_next_installment_is_the_first_unpaid_row_from_today(acme):
    # given a contract whose past installments are paid
    contract = ContractFactory(client=acme, payment_day=15)
    today = timezone.localdate()
    expected = contract.schedule_rows.filter(paid=False, due_date__gte=today).order_by("due_date").first()
    # when
    summary = get_home_summary(client=acme)
    # then
    assert summary["next_installment"] == {
        "due_date": expected.due_date,
        "gross": expected.gross,
        "currency": "PLN",
        "contract_number": contract.number,
    }


def test_summary_ignores_closed_contracts_and_other_clients(acme, other_company):
    closed = ContractFactory(client=acme)
    closed.close()
    closed.save()
    ContractFactory(client=other_company)
    assert get_home_summary(client=acme)["next_installment"] is None


def test_summary_runs_three_queries_whatever_the_volume(acme, django_assert_num_queries):
    contract = ContractFactory(client=acme)
    for _ in range(25):
        InvoiceFactory(client=acme, contract=contract)
    with django_assert_num_queries(3):
        summary = get_home_summary(client=acme)
        [invoice.contract.number for invoice in summary["invoices"]]
