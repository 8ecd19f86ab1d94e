from collections import Counter
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from pypdf import PdfReader

from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership
from backend.contracts.models import Contract, InsurancePolicy, ScheduleRow
from backend.demo.builder import DemoBuilder
from backend.demo.plan import IdSequence
from backend.demo.seed import seed_demo
from backend.demo.vocabulary import DEMO_PASSWORD, FIXED_ROLE_LOGINS, SAVE_ORDER
from backend.documents.models import Document
from backend.documents.uploads import sniff_kind
from backend.invoices.models import Compensation, Invoice, InvoiceStatus, Payment, derive_invoice_status

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def table_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in SAVE_ORDER}


def test_fixed_demo_logins_exist_with_the_printed_password():
    # when
    call_command("seed_demo", clients=3, seed=5)
    # then
    from portal_ui.management.commands.portal_banner import DEMO_LOGINS
    from portal_ui.management.commands.portal_banner import DEMO_PASSWORD as BANNER_PASSWORD

    assert BANNER_PASSWORD == DEMO_PASSWORD
    for _, email in DEMO_LOGINS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD), email
    assert User.objects.get(email="klient@demo.pl").memberships.count() == 1
    assert User.objects.get(email="wspolnik@demo.pl").memberships.count() == 2
    assert User.objects.get(email="bok@leasing.example").role == User.Role.STAFF
    assert User.objects.get(email="analityk@leasing.example").role == User.Role.ANALYST
    admin = User.objects.get(email="admin@leasing.example")
    assert admin.role == User.Role.ADMIN and admin.is_superuser and admin.is_staff


def test_running_again_with_the_same_arguments_changes_nothing():
    # given
    call_command("seed_demo", clients=4, seed=2)
    before = table_counts()
    # when
    call_command("seed_demo", clients=4, seed=2)
    # then
    assert table_counts() == before
    assert before["clients.Client"] == 4


def test_a_larger_run_adds_only_the_missing_clients():
    call_command("seed_demo", clients=2, seed=3)
    first_names = set(Client.objects.values_list("name", flat=True))
    call_command("seed_demo", clients=5, seed=3)
    assert Client.objects.count() == 5
    assert first_names <= set(Client.objects.values_list("name", flat=True))


def plan_rows(seed: int) -> list:
    builder = DemoBuilder(seed=seed, today=TODAY, password_hash="x", ids=IdSequence(SAVE_ORDER))
    plan = builder.plan_chunk(list(range(6)))
    fingerprint = []
    for model, objects in sorted(plan.objects.items(), key=lambda item: item[0]._meta.label):
        for obj in objects:
            fingerprint.append(
                (
                    model._meta.label,
                    tuple(
                        getattr(obj, f.attname)
                        for f in model._meta.concrete_fields
                        if f.name != "file" and not f.generated  # generated: the database's, not the plan's
                    ),
                )
            )
    for model, rows in sorted(plan.rows.items(), key=lambda item: item[0]._meta.label):
        fingerprint.extend((model._meta.label, tuple(sorted(row.items()))) for row in rows)
    fingerprint.extend(content for _, content in plan.files)
    return fingerprint


def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    assert plan_rows(11) == plan_rows(11)
    assert plan_rows(11) != plan_rows(12)


@pytest.fixture
def seeded():
    result = seed_demo(clients=10, seed=1, today=TODAY)
    assert result.created_clients == 10
    return result


def test_clients_have_valid_identifiers_and_polish_addresses(seeded):
    for client in Client.objects.all():
        client.full_clean()  # NIP, REGON, IBAN and KRS validators
        assert len(client.registered_postal_code) == 6 and client.registered_postal_code[2] == "-"
        assert client.registered_street.startswith("ul. ")


def test_every_client_has_users_and_some_users_act_for_two_clients(seeded):
    # The demo's limited role logins (tests/demo/test_demo_roles.py) come on top of the generated users.
    generated = ~Q(memberships__user__email__in=list(FIXED_ROLE_LOGINS))
    per_client = Client.objects.annotate(n=Count("memberships", filter=generated))
    assert all(1 <= c.n <= 5 for c in per_client)
    shared = User.objects.annotate(n=Count("memberships")).filter(n=2).exclude(email="wspolnik@demo.pl")
    assert shared.exists()
    assert ClientMembership.objects.filter(user__email="wspolnik@demo.pl").count() == 2


def test_every_client_has_an_administrator_who_manages_its_users(seeded):
    admins = Client.objects.annotate(n=Count("memberships", filter=Q(memberships__is_admin=True)))
    assert admins.exists() and all(client.n >= 1 for client in admins)


def test_contracts_cover_all_types_currencies_items_policies_and_schedules(seeded):
    assert set(Contract.objects.values_list("type", flat=True)) == set(Contract.Type.values)
    assert {"PLN", "EUR"} <= set(Contract.objects.values_list("currency", flat=True))
    for contract in Contract.objects.prefetch_related("items__serial_numbers", "schedule_rows"):
        items = list(contract.items.all())
        assert items and all(item.serial_numbers.all() for item in items)
        kinds = {sn.kind for item in items for sn in item.serial_numbers.all()}
        assert kinds & {"VIN", "S/N"}
        rows = list(contract.schedule_rows.all())
        assert len(rows) == contract.months
        assert rows[-1].capital_remaining == contract.residual_value
        assert sum(r.capital for r in rows) == contract.net_value - contract.residual_value
        assert InsurancePolicy.objects.filter(contract=contract).count() == 1
    active = Contract.objects.filter(status=Contract.Status.ACTIVE)
    assert InsurancePolicy.objects.filter(contract__in=active, status="active").count() == active.count()


def test_invoices_span_three_years_with_mixed_statuses(seeded):
    invoices = list(Invoice.objects.all())
    assert len(invoices) > 500
    statuses = Counter(
        derive_invoice_status(
            gross=i.gross_total, paid_amount=i.paid_amount, due_date=i.due_date, today=TODAY
        )
        for i in invoices
    )
    assert set(statuses) == set(InvoiceStatus.values)
    assert statuses[InvoiceStatus.PAID] > len(invoices) * 0.8
    oldest = min(i.issue_date for i in invoices)
    assert (TODAY - oldest).days > 2.9 * 365
    assert max(i.issue_date for i in invoices) <= TODAY


def test_paid_amount_is_the_sum_of_payments_and_compensations(seeded):
    payments = dict(
        Payment.objects.values("invoice_id").annotate(s=Sum("amount")).values_list("invoice_id", "s")
    )
    compensations = dict(
        Compensation.objects.values("invoice_id").annotate(s=Sum("amount")).values_list("invoice_id", "s")
    )
    for invoice_id, paid in Invoice.objects.values_list("id", "paid_amount"):
        assert paid == payments.get(invoice_id, Decimal("0")) + compensations.get(invoice_id, Decimal("0"))
    assert Invoice.objects.filter(lines__isnull=True).count() == 0


def test_schedule_rows_are_paid_where_the_invoice_is(seeded):
    for invoice in Invoice.objects.filter(contract__isnull=False)[:300]:
        row = ScheduleRow.objects.get(contract=invoice.contract, number=invoice.installment_number)
        assert row.paid == (invoice.paid_amount >= invoice.gross_total)
        assert (row.gross, row.due_date) == (invoice.gross_total, invoice.due_date)


def test_documents_are_real_pdfs(seeded, settings):
    kinds = set(Document.objects.values_list("kind", flat=True))
    assert Document.Kind.BALANCE_CONFIRMATION in kinds
    document = Document.objects.filter(kind=Document.Kind.BALANCE_CONFIRMATION).first()
    content = document.file.read()
    assert sniff_kind(content) == "pdf"
    assert document.size == len(content)
    text = PdfReader(BytesIO(content)).pages[0].extract_text()
    assert "Potwierdzenie salda" in text
    assert document.client.name in text


def test_rows_created_after_seeding_get_fresh_keys():
    # given seeded data with keys assigned by the seeder (PostgreSQL sequences must be moved past them)
    seed_demo(clients=2, seed=9, today=TODAY)
    top = Invoice.objects.order_by("-pk").first().pk
    # when the ORM inserts the usual way
    from tests.factories import InvoiceFactory

    invoice = InvoiceFactory(client=Client.objects.first())
    # then
    assert invoice.pk > top
