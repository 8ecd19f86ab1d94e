"""The demo invoices of a contract's schedule, their payments and compensation notes (part of DemoBuilder)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract, ScheduleRow
from backend.contracts.services import initial_installments
from backend.core.lessor import DEFAULT_LESSOR, format_nip
from backend.core.money import format_date, format_money, to_money
from backend.core.working_days import is_working_day, last_working_day_before
from backend.demo.pdf import render_text_pdf
from backend.demo.plan import IdSequence, Plan
from backend.demo.vocabulary import SHOWCASE_COMPENSATED_INSTALLMENTS, ZERO
from backend.documents.models import Document
from backend.invoices.ksef import demo_ksef_columns
from backend.invoices.models import Compensation, Invoice, InvoiceLine, Payment

# Made-up PLN rates of the demo's foreign-currency invoices (a real invoice takes the NBP average rate
# of the working day before the tax point).
DEMO_EXCHANGE_RATES = {"EUR": Decimal("4.2512"), "CHF": Decimal("4.5033")}


@cache
def demo_rate_table(tax_point: date) -> dict:
    """The NBP table a demo rate is said to be from: the last Polish working day before the tax point (art.
    31a; a leasing installment's is its invoice's issue date) and a well-formed number counting the
    year's working days to it (made up like the rates: NBP's own numbering is not computed)."""
    day = last_working_day_before(tax_point)
    start = date(day.year, 1, 1)
    ordinal = sum(is_working_day(start + timedelta(days=n)) for n in range((day - start).days + 1))
    return {"exchange_rate_date": day, "exchange_rate_table": f"{ordinal:03d}/A/NBP/{day.year}"}


class InvoicePlanning:
    """DemoBuilder's schedule, invoices and settlements."""

    seed: int
    today: date
    window_start: date
    ids: IdSequence
    showcase_clients: set[int]
    login_users: dict[int, User]

    def _schedule_and_invoices(
        self, plan: Plan, rng: random.Random, client: Client, contract: Contract
    ) -> None:
        for installment in initial_installments(contract):
            row = {
                "id": self.ids.take(ScheduleRow),
                "contract_id": contract.pk,
                "number": installment.number,
                "due_date": installment.due_date,
                "capital": installment.capital,
                "interest": installment.interest,
                "net": installment.net,
                "vat": installment.vat,
                "gross": installment.gross,
                "capital_remaining": installment.capital_remaining,
                "paid": False,
            }
            issue_date = installment.due_date - timedelta(days=14)
            if issue_date < self.window_start:
                row["paid"] = True  # older than the invoice history: long settled
            elif issue_date <= self.today:
                row["paid"] = self._invoice(plan, rng, client, contract, row, issue_date)
            plan.add_row(ScheduleRow, row)

    def _invoice(
        self, plan: Plan, rng: random.Random, client: Client, contract: Contract, row: dict, issue_date: date
    ) -> bool:
        """Plan the installment's invoice with its line and settlement; return whether it is fully paid."""
        number, gross, due_date = row["number"], row["gross"], row["due_date"]
        suffix = contract.number.rsplit("/", 1)[1]
        invoice = {
            "id": self.ids.take(Invoice),
            "client_id": client.pk,
            "contract_id": contract.pk,
            "number": f"FV/{issue_date.year}/{issue_date.month:02d}/{suffix}{number:03d}",
            "issue_date": issue_date,
            "sale_date": issue_date,
            "due_date": due_date,
            "currency": contract.currency,
            # a foreign-currency invoice carries its PLN rate (FA(3) KursWaluty, VAT in PLN)
            "exchange_rate": DEMO_EXCHANGE_RATES.get(contract.currency),
            "net_total": row["net"],
            "vat_total": row["vat"],
            "gross_total": gross,
            "paid_amount": ZERO,
            "installment_number": number,
        }
        if invoice["exchange_rate"] is not None:
            invoice.update(demo_rate_table(issue_date))
        invoice.update(demo_ksef_columns(issue_date=issue_date, invoice_number=invoice["number"]))
        loan = contract.type == Contract.Type.LOAN
        plan.add_row(Invoice, invoice)
        plan.add_row(
            InvoiceLine,
            {
                "id": self.ids.take(InvoiceLine),
                "invoice_id": invoice["id"],
                "position": 1,
                "description": f"{'Rata pożyczki' if loan else 'Rata leasingowa'} nr {number}/{contract.months}"
                f" – umowa {contract.number}",
                "quantity": Decimal("1.00"),
                "unit": "szt.",
                "unit_net": row["net"],
                "vat_rate": ZERO if loan else Decimal("0.23"),
                "net": row["net"],
                "vat": row["vat"],
                "gross": gross,
            },
        )
        days_past_due = (self.today - due_date).days
        roll = rng.random()
        if days_past_due > 90:
            outcome = "paid" if roll < 0.985 else ("partly" if roll < 0.995 else "unpaid")
        elif days_past_due > 0:
            outcome = "paid" if roll < 0.88 else ("partly" if roll < 0.93 else "unpaid")
        else:
            outcome = "paid" if roll < 0.35 else ("partly" if roll < 0.45 else "unpaid")
        if outcome == "unpaid":
            return False
        amount = gross if outcome == "paid" else to_money(gross * Decimal(rng.randint(20, 80)) / 100)
        paid_on = max(min(due_date + timedelta(days=rng.randint(-10, 4)), self.today), issue_date)
        # The random draw happens exactly as before, so the showcase rule changes no other client's data.
        showcase = client.pk in self.showcase_clients and number in SHOWCASE_COMPENSATED_INSTALLMENTS
        if outcome == "paid" and (rng.random() < 0.01 or showcase):
            self._compensation(plan, client, contract, invoice, amount, paid_on)
        else:
            plan.add_row(
                Payment,
                {
                    "id": self.ids.take(Payment),
                    "client_id": client.pk,
                    "invoice_id": invoice["id"],
                    "amount": amount,
                    "currency": contract.currency,
                    "paid_on": paid_on,
                    "reference": f"{invoice['number']} {client.name[:60]}",
                },
            )
        invoice["paid_amount"] = amount
        return outcome == "paid"

    def _compensation(self, plan: Plan, client, contract, invoice: dict, amount: Decimal, on: date) -> None:
        note = f"KP/{on.year}/{invoice['number'].rsplit('/', 1)[1]}"
        plan.add(
            Compensation(
                pk=self.ids.take(Compensation),
                client=client,
                invoice_id=invoice["id"],
                amount=amount,
                currency=contract.currency,
                compensated_on=on,
                note_number=note,
            )
        )
        lines = [
            (DEFAULT_LESSOR["name"], 10, True),
            (
                f"{DEFAULT_LESSOR['street']}, {DEFAULT_LESSOR['postal_code']} {DEFAULT_LESSOR['city']}",
                9,
                False,
            ),
            ("", 12, False),
            (f"Nota kompensacyjna nr {note}", 16, True),
            (f"z dnia {format_date(on)}", 11, False),
            ("", 12, False),
            (f"Kontrahent: {client.name}", 11, False),
            (f"NIP {format_nip(client.nip)}, {client.registered_address}", 10, False),
            ("", 12, False),
            (
                "Na podstawie art. 498 Kodeksu cywilnego dokonujemy wzajemnej kompensaty należności:",
                10,
                False,
            ),
            (
                f"Faktura {invoice['number']} z dnia {format_date(invoice['issue_date'])}, umowa {contract.number}",
                10,
                False,
            ),
            (f"Kwota kompensaty: {format_money(amount, contract.currency)}", 11, True),
            ("", 12, False),
            ("Prosimy o uzgodnienie zapisów w księgach rachunkowych.", 10, False),
        ]
        self._document(
            plan,
            client=client,
            contract=contract,
            kind=Document.Kind.COMPENSATION_NOTE,
            title=f"Nota kompensacyjna {note}",
            name=f"nota_{note.replace('/', '_')}.pdf",
            issued_on=on,
            content=render_text_pdf(lines, title=f"Nota kompensacyjna {note}"),
        )
