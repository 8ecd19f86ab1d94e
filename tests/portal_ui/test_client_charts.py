"""Chart data of the contract page and the settlements page: the same money as the schedule and invoices."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from backend.contracts.models import ScheduleRow
from backend.contracts.selectors import get_schedule_chart
from backend.invoices.selectors import get_settlement_chart
from tests.factories import ContractFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def test_schedule_chart_splits_every_installment_into_paid_overdue_or_to_pay_to_the_grosz(acme):
    # given a contract with some installments paid, the next ones unpaid, two of them past their date
    contract = ContractFactory(client=acme)
    rows = list(ScheduleRow.objects.filter(contract=contract).order_by("number"))
    ScheduleRow.objects.filter(pk__in=[r.pk for r in rows[:5]]).update(paid=True)
    ScheduleRow.objects.filter(pk__in=[r.pk for r in rows[5:]]).update(paid=False)
    today = rows[6].due_date + timedelta(days=1)
    # when
    chart = get_schedule_chart(contract=contract, today=today)
    # then each installment is in exactly one series and the totals are the schedule's
    assert chart["numbers"] == [r.number for r in rows]
    assert chart["due_dates"] == [r.due_date for r in rows]
    assert chart["capital_remaining"] == [r.capital_remaining for r in rows]
    for row, paid, overdue, to_pay in zip(
        rows, chart["paid"], chart["overdue"], chart["to_pay"], strict=True
    ):
        if row.number <= 5:
            assert (paid, overdue, to_pay) == (row.gross, None, None)
        elif row.number <= 7:  # unpaid, due before `today`
            assert (paid, overdue, to_pay) == (None, row.gross, None)
        else:
            assert (paid, overdue, to_pay) == (None, None, row.gross)
    assert chart["overdue_total"] == rows[5].gross + rows[6].gross
    assert chart["paid_total"] == sum(r.gross for r in rows[:5])
    assert chart["to_pay_total"] == sum(r.gross for r in rows[5:])
    assert chart["paid_total"] + chart["to_pay_total"] == sum(r.gross for r in rows)
    assert chart["paid_total"] > 0 and chart["to_pay_total"] > 0


def test_settlement_chart_sums_the_invoices_and_payments_of_each_month(acme, other_company):
    # given invoices due in May and June (one part-paid and overdue), a payment, and other data
    may = InvoiceFactory(
        client=acme, issue_date=date(2026, 4, 28), due_date=date(2026, 5, 12), gross_total=Decimal("1230.01")
    )
    may.paid_amount = Decimal("1000.00")
    may.save(update_fields=["paid_amount"])
    PaymentFactory(invoice=may, amount=Decimal("1000.00"), paid_on=date(2026, 6, 2))
    InvoiceFactory(
        client=acme, issue_date=date(2026, 5, 1), due_date=date(2026, 5, 31), gross_total=Decimal("0.99")
    )
    InvoiceFactory(
        client=acme, issue_date=date(2026, 6, 1), due_date=date(2026, 6, 20), gross_total=Decimal("50.00")
    )
    InvoiceFactory(client=acme, due_date=date(2026, 3, 5), issue_date=date(2026, 2, 19), currency="EUR")
    InvoiceFactory(client=acme, due_date=date(2025, 5, 31), issue_date=date(2025, 5, 17))  # outside 12 months
    InvoiceFactory(client=other_company, due_date=date(2026, 5, 12), issue_date=date(2026, 4, 28))
    # when
    charts = get_settlement_chart(client=acme, today=TODAY)
    # then one chart per currency over the last 12 months, ending with this month
    assert [c["currency"] for c in charts] == ["EUR", "PLN"]
    pln = charts[1]
    assert pln["months"][0] == date(2025, 7, 1) and pln["months"][-1] == date(2026, 6, 1)
    assert len(pln["due"]) == len(pln["paid"]) == len(pln["overdue"]) == 12
    may_index, june_index = 10, 11
    assert pln["due"][may_index] == Decimal("1231.00")  # 1230,01 + 0,99: exact, not float
    assert pln["overdue"][may_index] == Decimal("231.00")  # 230,01 left of the first, the whole 0,99
    assert pln["due"][june_index] == Decimal("0.00")  # due on the 20th, after today: not yet due
    assert pln["paid"][june_index] == Decimal("1000.00")
    assert sum(pln["due"]) == Decimal("1231.00") and sum(pln["paid"]) == Decimal("1000.00")
    assert sum(charts[0]["due"]) == Decimal("1230.00") and sum(charts[0]["overdue"]) == Decimal("1230.00")


def test_pages_hand_the_chart_numbers_to_the_script_and_show_them_as_a_table(client, client_user, acme):
    # given
    contract = ContractFactory(client=acme)
    InvoiceFactory(client=acme, issue_date=date.today() - timedelta(days=40), gross_total=Decimal("2460.00"))
    client.force_login(client_user)
    # when
    contract_page = client.get(reverse("contract-page", args=[contract.pk])).content.decode()
    settlements = client.get(reverse("settlements")).content.decode()
    # then both pages draw a canvas from json_script data with a static script, and list the numbers
    for body in (contract_page, settlements):
        assert 'id="client-charts" type="application/json"' in body
        assert "vendor/chartjs/chart.umd.min.js" in body and "portal_ui/client_charts.js" in body
    assert 'id="contract-chart"' in contract_page and 'data-testid="schedule-table"' in contract_page
    assert (
        'id="settlement-chart-0"' in settlements and 'data-testid="settlement-chart-0-table"' in settlements
    )
    assert "2\u00a0460,00\u00a0zł" in settlements


def test_pages_without_data_draw_no_chart(client, client_user):
    client.force_login(client_user)
    body = client.get(reverse("settlements")).content.decode()
    assert "client-charts" not in body and "chart.umd.min.js" not in body
