"""Chart payloads of the client pages (contract schedule, settlements), handed to static scripts.

The selectors give exact Decimals and dates; here they become what the page needs: the numbers for
`json_script` (amounts as plain numbers with two decimals, months as the page's language writes them:
11.2025 / 2025-11) and rows for the table that shows the same numbers to screen readers and to anyone
without scripts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.contracts.selectors import get_schedule_chart
from backend.core.language import active_lang
from backend.core.money import format_month
from backend.invoices.selectors import get_settlement_chart


def _number(value: Decimal | None) -> float | None:
    # Chart.js needs numbers; the amounts are already rounded to grosze, so a float shows them exactly.
    return None if value is None else float(value)


def _month(day: date) -> str:
    return format_month(day, lang=active_lang())


def contract_chart(*, contract: Contract, today: date | None = None) -> dict[str, Any]:
    """Capital remaining (line) and installments paid / overdue / to pay (bars) over the due dates."""
    chart = get_schedule_chart(contract=contract, today=today)
    return {
        "chart": chart,
        "payload": [
            {
                "id": "contract-chart",
                "currency": chart["currency"],
                "labels": [_month(day) for day in chart["due_dates"]],
                "series": [
                    {
                        "key": "paid",
                        "label": _("Installment paid"),
                        "kind": "bar",
                        "values": [_number(v) for v in chart["paid"]],
                    },
                    {
                        "key": "overdue",
                        "label": _("Installment overdue"),
                        "kind": "bar",
                        "values": [_number(v) for v in chart["overdue"]],
                    },
                    {
                        "key": "to_pay",
                        "label": _("Installment to pay"),
                        "kind": "bar",
                        "values": [_number(v) for v in chart["to_pay"]],
                    },
                    {
                        "key": "capital_remaining",
                        "label": _("Capital remaining"),
                        "kind": "line",
                        "values": [_number(v) for v in chart["capital_remaining"]],
                    },
                ],
            }
        ],
    }


def settlement_charts(*, client: Client, today: date | None = None) -> dict[str, Any]:
    """One chart per currency: due, paid and overdue in each of the last 12 months, and the same as rows."""
    charts = []
    for index, entry in enumerate(get_settlement_chart(client=client, today=today)):
        months = [_month(day) for day in entry["months"]]
        charts.append(
            {
                "id": f"settlement-chart-{index}",
                "currency": entry["currency"],
                "rows": list(
                    zip(entry["months"], entry["due"], entry["paid"], entry["overdue"], strict=True)
                ),
                "totals": {
                    figure: sum(entry[figure], Decimal("0.00")) for figure in ("due", "paid", "overdue")
                },
                "payload": {
                    "id": f"settlement-chart-{index}",
                    "currency": entry["currency"],
                    "labels": months,
                    "series": [
                        {
                            "key": "due",
                            "label": _("Due in the month"),
                            "kind": "bar",
                            "values": [_number(v) for v in entry["due"]],
                        },
                        {
                            "key": "paid",
                            "label": _("Paid in the month"),
                            "kind": "bar",
                            "values": [_number(v) for v in entry["paid"]],
                        },
                        {
                            "key": "overdue",
                            "label": _("Still overdue"),
                            "kind": "bar",
                            "values": [_number(v) for v in entry["overdue"]],
                        },
                    ],
                },
            }
        )
    return {"charts": charts, "payload": [chart["payload"] for chart in charts]}
