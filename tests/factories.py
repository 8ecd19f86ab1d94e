"""factory_boy factories for the domain. Valid NIP/REGON/IBAN come from backend.clients.identifiers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.identifiers import make_iban, make_nip, make_regon
from backend.clients.models import Client, ClientMembership
from backend.contracts.models import Contract, InsurancePolicy, LeasedItem, SerialNumber
from backend.invoices.models import Invoice, InvoiceLine, Payment

PASSWORD = "Test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.pl")
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    role = User.Role.CLIENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Firma Testowa {n} sp. z o.o.")
    nip = factory.Sequence(lambda n: make_nip(n + 1))
    regon = factory.Sequence(lambda n: make_regon(n + 1))
    registered_street = "ul. Marszałkowska 10/4"
    registered_postal_code = "00-590"
    registered_city = "Warszawa"
    email = factory.Sequence(lambda n: f"biuro{n}@firma.pl")
    phone = "+48 22 123 45 67"
    bank_account = factory.Sequence(lambda n: make_iban(n + 1))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientMembership

    user = factory.SubFactory(UserFactory)
    client = factory.SubFactory(ClientFactory)
    is_default = True


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    number = factory.Sequence(lambda n: f"UL/2025/{n:06d}")
    type = Contract.Type.OPERATING_LEASE
    start_date = factory.LazyFunction(lambda: (timezone.localdate() - timedelta(days=200)).replace(day=1))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=36 * 30))
    net_value = Decimal("120000.00")
    currency = "PLN"
    residual_percent = Decimal("10.00")
    annual_rate = Decimal("7.500")
    months = 36
    payment_day = 10

    @factory.post_generation
    def schedule(obj, create, extracted, **kwargs):  # noqa: N805
        """Build the schedule; installments due before today are paid unless `schedule=False`."""
        if not create or extracted is False:
            return
        from backend.contracts.services import rebuild_schedule

        rows = rebuild_schedule(obj)
        today = timezone.localdate()
        obj.schedule_rows.filter(due_date__lt=today).update(paid=True)
        return rows


class LeasedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeasedItem

    contract = factory.SubFactory(ContractFactory)
    name = "Skoda Octavia 2.0 TDI"
    category = "vehicle"
    manufacturer = "Skoda"
    production_year = 2025
    net_value = Decimal("120000.00")


class SerialNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SerialNumber

    item = factory.SubFactory(LeasedItemFactory)
    kind = "VIN"
    value = factory.Sequence(lambda n: f"TMBJJ7NE{n:09d}")


class InsurancePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsurancePolicy

    contract = factory.SubFactory(ContractFactory)
    insurer = "PZU SA"
    number = factory.Sequence(lambda n: f"POL-{n:08d}")
    scope = "AC, OC, NNW"
    sum_insured = Decimal("147600.00")
    period_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    period_end = factory.LazyAttribute(lambda o: o.period_start + timedelta(days=364))
    premium = Decimal("3450.00")


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    contract = None
    number = factory.Sequence(lambda n: f"FV/2026/{n:07d}")
    issue_date = factory.LazyFunction(timezone.localdate)
    sale_date = factory.LazyAttribute(lambda o: o.issue_date)
    due_date = factory.LazyAttribute(lambda o: o.issue_date + timedelta(days=14))
    currency = "PLN"
    net_total = Decimal("1000.00")
    vat_total = Decimal("230.00")
    gross_total = Decimal("1230.00")
    paid_amount = Decimal("0.00")

    @factory.post_generation
    def lines(obj, create, extracted, **kwargs):  # noqa: N805
        if not create or extracted is False:
            return
        InvoiceLine.objects.create(
            invoice=obj,
            position=1,
            description="Rata leasingowa",
            unit_net=obj.net_total,
            net=obj.net_total,
            vat=obj.vat_total,
            gross=obj.gross_total,
        )


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    client = factory.LazyAttribute(lambda o: o.invoice.client)
    amount = Decimal("1230.00")
    paid_on = factory.LazyFunction(lambda: date.today())
    reference = "Przelew"
