"""On the contract page an unpaid installment past its due date is overdue, as the settlements call its
invoice: "nie, zaległa" in words with its own mark (not colour only), and a chart bar series of its own;
an installment not yet due still reads "nie"."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from backend.contracts.models import ScheduleRow
from tests.client_correctness.helpers import visible_text
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db


def test_an_unpaid_installment_past_its_due_date_is_marked_overdue(client, client_user, acme_contract):
    today = timezone.localdate()
    rows = ScheduleRow.objects.filter(contract=acme_contract).order_by("number")
    late = rows.filter(due_date__lt=today).last()
    late.paid = False
    late.save(update_fields=["paid"])
    not_yet_due = rows.filter(paid=False, due_date__gte=today).count()

    body = (
        logged_in(client, client_user).get(reverse("contract-page", args=[acme_contract.pk])).content.decode()
    )

    marked = re.findall(
        r'<tr class="row-overdue" data-testid="installment-overdue">\s*<th[^>]*>(\d+)</th>', body
    )
    assert marked == [str(late.number)]
    text = visible_text(body)
    assert text.count("nie, zaległa") == 1
    assert body.count('<span class="flag flag-no">nie</span>') == not_yet_due > 0
    chart = json.loads(html.unescape(re.search(r'id="client-charts"[^>]*>(.*?)</script>', body, re.S)[1]))[0]
    series = {s["key"]: s["values"] for s in chart["series"]}
    assert series["overdue"][late.number - 1] == float(late.gross)
    assert series["to_pay"][late.number - 1] is None and series["paid"][late.number - 1] is None
    assert [v for v in series["overdue"] if v is not None] == [float(late.gross)]
    assert "w tym przeterminowane" in text
