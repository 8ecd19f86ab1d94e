"""The demo client's correspondence: message threads with customer service, balance confirmations."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from backend.accounts.models import User
from backend.clients.models import Client
from backend.contracts.models import Contract
from backend.core.lessor import DEFAULT_LESSOR, format_nip
from backend.core.money import format_date, format_money
from backend.demo.pdf import render_text_pdf
from backend.demo.plan import IdSequence, Plan
from backend.demo.vocabulary import SHOWCASE_STAFF_EMAIL, SHOWCASE_THREADS, ZERO
from backend.documents.models import Document
from backend.invoices.models import Compensation, Invoice, Payment
from backend.messaging.models import Message, MessageThread


class PaperPlanning:
    """DemoBuilder's message threads and documents."""

    seed: int
    today: date
    window_start: date
    ids: IdSequence
    showcase_clients: set[int]
    login_users: dict[int, User]

    # --- messages ----------------------------------------------------------------------------------------
    def _message_threads(self, plan: Plan, client: Client, *, author: User) -> None:
        """A few conversations with customer service for a demo login's client (SHOWCASE_THREADS)."""
        staff_id = User.objects.filter(email=SHOWCASE_STAFF_EMAIL).values_list("pk", flat=True).first()
        contracts = [c for c in plan.objects.get(Contract, []) if c.client_id == client.pk]

        def at(days_ago: int, clock: str) -> datetime:
            hour, minute = map(int, clock.split(":"))
            day = self.today - timedelta(days=days_ago)
            return timezone.make_aware(datetime.combine(day, time(hour, minute)))

        for started, subject, category, with_contract, messages in SHOWCASE_THREADS:
            thread = MessageThread(
                pk=self.ids.take(MessageThread),
                client=client,
                contract=contracts[0] if with_contract and contracts else None,
                subject=subject,
                category=category,
                status=MessageThread.Status.OPEN,
                created_by=author,
                created_at=at(started, messages[0][1]),
            )
            planned = []
            for days_ago, clock, from_staff, final, body in messages:
                if from_staff and staff_id is None:
                    continue  # a bare plan (tests) without the staff logins: the client's side only
                sent = at(days_ago, clock)
                planned.append(
                    Message(
                        pk=self.ids.take(Message),
                        thread=thread,
                        author_id=staff_id if from_staff else author.pk,
                        body=body,
                        is_from_staff=from_staff,
                        is_final_answer=final,
                        created_at=sent,
                    )
                )
                # The same order of states as messaging.*_writes: a staff reply answers, a client's
                # message reopens, a final answer closes; whoever answers an unassigned thread takes it.
                if from_staff and thread.assignee_id is None:
                    thread.assignee_id, thread.assigned_at = staff_id, sent
                if final:
                    thread.final_answer, thread.final_answer_at = body, sent
                    thread.final_answer_by_id = staff_id
                    thread.status = MessageThread.Status.CLOSED
                elif from_staff:
                    thread.status = MessageThread.Status.ANSWERED
                else:
                    thread.status = MessageThread.Status.OPEN
            thread.last_message_at = planned[-1].created_at
            plan.add(thread)
            for message in planned:
                plan.add(message)

    # --- documents -------------------------------------------------------------------------------------
    def _balance_confirmations(self, plan: Plan, clients: dict[int, Client]) -> None:
        """One balance confirmation (potwierdzenie salda) per client for each of the last two year-ends."""
        by_client: dict[int, list[dict]] = defaultdict(list)
        for invoice in plan.rows.get(Invoice, []):
            by_client[invoice["client_id"]].append(invoice)
        paid_by_invoice: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
        for payment in plan.rows.get(Payment, []):
            paid_by_invoice[payment["invoice_id"]].append((payment["paid_on"], payment["amount"]))
        for compensation in plan.objects.get(Compensation, []):
            paid_by_invoice[compensation.invoice_id].append(
                (compensation.compensated_on, compensation.amount)
            )
        for client in clients.values():
            for year in (self.today.year - 2, self.today.year - 1):
                as_of = date(year, 12, 31)
                balances: dict[str, Decimal] = defaultdict(lambda: ZERO)
                for invoice in by_client[client.pk]:
                    if invoice["issue_date"] > as_of:
                        continue
                    settled = sum((a for d, a in paid_by_invoice[invoice["id"]] if d <= as_of), ZERO)
                    balances[invoice["currency"]] += invoice["gross_total"] - settled
                lines = [
                    (DEFAULT_LESSOR["name"], 10, True),
                    (
                        f"{DEFAULT_LESSOR['street']}, {DEFAULT_LESSOR['postal_code']} {DEFAULT_LESSOR['city']}",
                        9,
                        False,
                    ),
                    (f"NIP {format_nip(DEFAULT_LESSOR['nip'])}", 9, False),
                    ("", 12, False),
                    (f"Potwierdzenie salda na dzień {format_date(as_of)}", 16, True),
                    ("", 12, False),
                    (client.name, 11, True),
                    (client.registered_address, 10, False),
                    (f"NIP {format_nip(client.nip)}", 10, False),
                    ("", 12, False),
                    (
                        "Uprzejmie informujemy, że według naszych ksiąg saldo Państwa zobowiązań wynosi:",
                        10,
                        False,
                    ),
                ]
                lines += [(f"   {format_money(v, c)}", 11, True) for c, v in sorted(balances.items())] or [
                    (f"   {format_money(ZERO)}", 11, True)
                ]
                lines += [
                    ("", 12, False),
                    ("Prosimy o potwierdzenie zgodności salda w terminie 14 dni od otrzymania.", 10, False),
                ]
                self._document(
                    plan,
                    client=client,
                    contract=None,
                    kind=Document.Kind.BALANCE_CONFIRMATION,
                    title=f"Potwierdzenie salda na dzień {format_date(as_of)}",
                    name=f"potwierdzenie_salda_{as_of:%Y-%m-%d}.pdf",
                    issued_on=date(year + 1, 1, 10),
                    content=render_text_pdf(lines, title="Potwierdzenie salda"),
                )

    def _document(
        self, plan: Plan, *, client, contract, kind, title, name, issued_on, content: bytes
    ) -> None:
        document = Document(
            pk=self.ids.take(Document),
            client=client,
            contract=contract,
            kind=kind,
            title=title,
            original_name=name,
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            issued_on=issued_on,
        )
        plan.add(document)
        plan.files.append((document, content))
