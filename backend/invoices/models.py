"""Invoices, their lines, payments, compensations (kompensaty) and duplicates.

An invoice's status is derived, never stored: `paid_amount` is kept equal to the sum of its payments
and compensations by the services that record them, and the status follows from it and the due date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from backend.contracts.models import LOAN_EXEMPTION_BASIS, Contract, Currency
from backend.core.choice_labels import ChoiceLabels
from backend.core.language import active_lang
from backend.core.number_keys import key_index, number_key_field

# NBP's numbering of its table A of average rates: the table's ordinal in the year, "A", "NBP", the year.
NBP_TABLE_NUMBER = r"^\d{3}/A/NBP/\d{4}$"


class InvoiceStatus(models.TextChoices):
    PAID = "paid", _("Paid")
    UNPAID = "unpaid", _("Unpaid")
    OVERDUE = "overdue", _("Overdue")
    PARTLY_PAID = "partly_paid", _("Partly paid")


def derive_invoice_status(*, gross: Decimal, paid_amount: Decimal, due_date: date, today: date) -> str:
    if paid_amount >= gross:
        return InvoiceStatus.PAID
    if due_date < today:
        return InvoiceStatus.OVERDUE
    if paid_amount > 0:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.UNPAID


class Invoice(ChoiceLabels, models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("client")
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("contract"),
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    # Customer service's search by the number's end (backend/core/number_keys.py).
    number_key = number_key_field("number")
    issue_date = models.DateField(_("issue date"))
    sale_date = models.DateField(_("sale date"))
    due_date = models.DateField(_("due date"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN)
    # A foreign-currency invoice: PLN per unit of its currency used for its VAT in PLN (art. 31a of the
    # VAT act: the NBP average rate of the last working day before the tax point); FA(3) KursWaluty and
    # P_14_xW. Empty for PLN invoices.
    exchange_rate = models.DecimalField(
        _("exchange rate (PLN)"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    # Which NBP table the rate is from, as the invoice states it: the table's date (the last working day
    # before the tax point, so always before the issue date) and its number. Empty on invoices stored
    # before the portal kept them: they state the rate alone. FA(3) has no field of its own for either.
    exchange_rate_date = models.DateField(_("date of the NBP table"), null=True, blank=True)
    exchange_rate_table = models.CharField(
        _("NBP table number"),
        max_length=16,
        blank=True,
        default="",
        validators=[RegexValidator(NBP_TABLE_NUMBER, _("An NBP table A number, e.g. 231/A/NBP/2026."))],
    )
    net_total = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    gross_total = models.DecimalField(_("gross"), max_digits=14, decimal_places=2)
    # "amount" keeps it apart from an installment's "paid" (yes/no) in the merged catalog.
    paid_amount = models.DecimalField(
        pgettext_lazy("amount", "paid"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    installment_number = models.PositiveSmallIntegerField(null=True, blank=True)
    # The number KSeF gives an invoice when the issuer sends it there. This portal does not send invoices
    # to KSeF (the lessor's accounting system does); it only shows the number. Demo data, tests and the
    # data migration 0003 (rows existing then) fill it with made-up but well-formed numbers from
    # `backend.invoices.ksef.assign_demo_ksef_number` / `demo_ksef_number`.
    ksef_number = models.CharField(_("KSeF number"), max_length=36, blank=True, default="")
    ksef_sent_at = models.DateTimeField(_("sent to KSeF at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issue_date", "-id"]
        indexes = [
            models.Index(fields=["client", "-issue_date", "-id"], name="invoice_client_newest"),
            models.Index(fields=["client", "due_date"], name="invoice_client_due"),
            models.Index(fields=["contract", "-issue_date"], name="invoice_contract_newest"),
            key_index("number_key", name="invoice_number_key"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ksef_number"], condition=~models.Q(ksef_number=""), name="invoice_ksef_number_unique"
            ),
            # Art. 31a: the table of a working day *before* the tax point, which is never after the issue.
            models.CheckConstraint(
                condition=models.Q(exchange_rate_date__isnull=True)
                | models.Q(exchange_rate_date__lt=models.F("issue_date")),
                name="invoice_rate_table_before_issue",
            ),
            models.CheckConstraint(
                condition=models.Q(exchange_rate_table="") | models.Q(exchange_rate_date__isnull=False),
                name="invoice_rate_table_number_has_date",
            ),
        ]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number

    @property
    def zero_rate_is_exempt(self) -> bool:
        """Are this invoice's 0 lines VAT-exempt ("zw": a loan's), rather than taxed at 0 %?"""
        return self.contract_id is not None and self.contract.type == Contract.Type.LOAN

    def is_vat_exempt(self, rate: Decimal) -> bool:
        return rate == 0 and self.zero_rate_is_exempt

    @property
    def vat_exemption_basis(self) -> str:
        """The legal basis printed beside "zw" when a line is exempt, else ""."""
        exempt = any(self.is_vat_exempt(line.vat_rate) for line in self.lines.all())
        return LOAN_EXEMPTION_BASIS if exempt else ""

    @property
    def remaining_amount(self) -> Decimal:
        return max(self.gross_total - self.paid_amount, Decimal("0.00"))

    @property
    def compensated_amount(self) -> Decimal:
        """The part of `paid_amount` settled by compensation notes, not by payments (the prefetched ones)."""
        return sum((compensation.amount for compensation in self.compensations.all()), Decimal("0.00"))

    @property
    def status(self) -> str:
        return derive_invoice_status(
            gross=self.gross_total,
            paid_amount=self.paid_amount,
            due_date=self.due_date,
            today=timezone.localdate(),
        )


# What the pages show for the unit codes invoice lines carry; the code itself stays on the line, as the
# invoice PDF (Polish) and the KSeF XML print it.
UNIT_LABELS = {"szt.": pgettext_lazy("unit of measure", "pcs")}


def vat_rate_label(rate: Decimal, *, exempt: bool) -> str:
    """A line's VAT rate as the page and the PDF show it, in the active language: "23%", or "zw"
    ("exempt" in English) for an exempt line (Invoice.is_vat_exempt), never "0%" then."""
    if exempt:
        return pgettext("VAT rate", "exempt")
    text = f"{(Decimal(rate) * 100).normalize():f}%"
    return text if active_lang() == "en" else text.replace(".", ",")


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=255)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"))
    unit = models.CharField(_("unit"), max_length=16, default="szt.")
    unit_net = models.DecimalField(_("unit net price"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=2, default=Decimal("0.23"))
    net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    gross = models.DecimalField(_("gross"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    @property
    def vat_exempt(self) -> bool:
        return self.invoice.is_vat_exempt(self.vat_rate)

    @property
    def vat_rate_label(self) -> str:
        return vat_rate_label(self.vat_rate, exempt=self.vat_exempt)

    @property
    def unit_label(self) -> str:
        """The unit in the active language ("szt." → "pcs"); a unit without a label as stored."""
        return str(UNIT_LABELS.get(self.unit, self.unit))


class Payment(ChoiceLabels, models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="payments", verbose_name=_("client")
    )
    invoice = models.ForeignKey(
        Invoice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("invoice"),
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN)
    paid_on = models.DateField(_("payment date"))
    reference = models.CharField(_("transfer title"), max_length=140, blank=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["client", "-paid_on"])]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")


class Compensation(ChoiceLabels, models.Model):
    """A mutual offset (kompensata) settling part of an invoice without a transfer."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="compensations", verbose_name=_("client")
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="compensations", verbose_name=_("invoice")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN)
    compensated_on = models.DateField(_("compensation date"))
    note_number = models.CharField(_("compensation note number"), max_length=32)

    class Meta:
        ordering = ["-compensated_on", "-id"]
        indexes = [models.Index(fields=["client", "-compensated_on"])]
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")


class InvoiceDuplicate(models.Model):
    """Record of a generated duplicate: who asked for it and when (its issue date)."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="duplicates", verbose_name=_("invoice")
    )
    issued_at = models.DateTimeField(_("duplicate issue date"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("requested by")
    )
    # The page form's one-time key: the form posted twice (a double click) records one duplicate.
    idempotency_key = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "requested_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_duplicate_idempotency_key",
            )
        ]
        verbose_name = _("invoice duplicate")
        verbose_name_plural = _("invoice duplicates")


def duplicate_number() -> Subquery:
    """A duplicate's number within its invoice (1, 2, ... in the order they were generated), for an
    annotation: the number its file name and the page show. create_duplicate generates them one at a
    time per invoice (the invoice's row lock), so a number never changes once given."""
    earlier = InvoiceDuplicate.objects.filter(invoice_id=OuterRef("invoice_id"), pk__lte=OuterRef("pk"))
    return Subquery(
        earlier.order_by().values("invoice_id").annotate(n=Count("pk")).values("n"),
        output_field=models.IntegerField(),
    )


class AccountingExport(ChoiceLabels, models.Model):
    """The accountant's monthly ZIP (backend/invoices/accounting_exports.py), built by the Celery worker:
    one row per user, client and month, reused while it is being built and started again once done.

    `invoice_ids` are the invoices the user saw when asking (the membership's contracts), so the worker
    builds exactly that package and the download checks the user still sees them all.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    IN_PROGRESS = (Status.PENDING, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accounting_exports",
        verbose_name=_("user"),
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="accounting_exports",
        verbose_name=_("client"),
    )
    month = models.DateField(_("month"))
    lang = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    invoice_ids = models.JSONField(default=list)
    # The numbers of the contracts the user saw when asking (limited to some of the company's), or None
    # when they saw all: the package says its scope in its name and its summary, never "every invoice".
    contract_numbers = models.JSONField(null=True, blank=True, default=None)
    done = models.PositiveIntegerField(_("invoices done"), default=0)
    total = models.PositiveIntegerField(_("invoices"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.CharField(_("file"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)  # progress: a stalled build
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client", "month"], name="unique_accounting_export")
        ]
        indexes = [models.Index(fields=["status", "updated_at"])]
        verbose_name = _("accounting export")
        verbose_name_plural = _("accounting exports")

    def __str__(self) -> str:
        return f"{self.client_id} {self.month:%Y-%m} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS
