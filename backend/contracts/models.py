"""Lease and loan contracts, their leased items, insurance policies and repayment schedules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from backend.core.choice_labels import ChoiceLabels
from backend.core.number_keys import key_index, number_key_field


class Currency(models.TextChoices):
    PLN = "PLN", "PLN"
    EUR = "EUR", "EUR"
    CHF = "CHF", "CHF"


# A loan's installments and buyout are a financial service exempt from VAT: their 0 VAT is "zw" with this
# legal basis, not a 0 % supply. The one rule the invoices (page, PDF, KSeF XML) and buyout quotes follow.
LOAN_EXEMPTION_BASIS = "art. 43 ust. 1 pkt 38 ustawy o VAT"


class Contract(ChoiceLabels, models.Model):
    class Type(models.TextChoices):
        OPERATING_LEASE = "operating_lease", _("Operating lease")
        FINANCIAL_LEASE = "financial_lease", _("Financial lease")
        LOAN = "loan", _("Loan")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("contract status", "Active")
        CLOSED = "closed", pgettext_lazy("contract status", "Closed")
        TERMINATED = "terminated", pgettext_lazy("contract status", "Terminated")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("client")
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    # Customer service's search by the number's end (backend/core/number_keys.py).
    number_key = number_key_field("number")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    net_value = models.DecimalField(_("net value"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN)
    residual_percent = models.DecimalField(
        _("residual (final) value %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    annual_rate = models.DecimalField(_("annual interest rate %"), max_digits=6, decimal_places=3)
    months = models.PositiveSmallIntegerField(_("period (months)"))
    payment_day = models.PositiveSmallIntegerField(
        _("payment day"), validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    status = FSMField(_("status"), default=Status.ACTIVE, choices=Status.choices, protected=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "number"]
        indexes = [
            models.Index(fields=["client", "status"]),
            key_index("number_key", name="contract_number_key"),
        ]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.number

    @property
    def residual_value(self) -> Decimal:
        from backend.core.money import to_money

        return to_money(self.net_value * self.residual_percent / Decimal(100))

    @transition(field=status, source=Status.ACTIVE, target=Status.CLOSED)
    def close(self) -> None:
        """Close a fully repaid contract."""

    @transition(field=status, source=Status.ACTIVE, target=Status.TERMINATED)
    def terminate(self) -> None:
        """Terminate the contract early."""


class LeasedItem(ChoiceLabels, models.Model):
    class Category(models.TextChoices):
        # Stored as codes; pages and the API show the label (get_category_display).
        VEHICLE = "vehicle", pgettext_lazy("leased item category", "Vehicle")
        MACHINE = "machine", pgettext_lazy("leased item category", "Machine")
        EQUIPMENT = "equipment", pgettext_lazy("leased item category", "Equipment")
        OTHER = "other", pgettext_lazy("leased item category", "Other")

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="items", verbose_name=_("contract")
    )
    name = models.CharField(_("name"), max_length=255)
    category = models.CharField(_("category"), max_length=64, blank=True, choices=Category.choices)
    manufacturer = models.CharField(_("manufacturer"), max_length=100, blank=True)
    production_year = models.PositiveSmallIntegerField(_("production year"), null=True, blank=True)
    net_value = models.DecimalField(_("net value"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["id"]
        verbose_name = _("leased item")
        verbose_name_plural = _("leased items")

    def __str__(self) -> str:
        return self.name


class SerialNumber(models.Model):
    item = models.ForeignKey(
        LeasedItem, on_delete=models.CASCADE, related_name="serial_numbers", verbose_name=_("leased item")
    )
    kind = models.CharField(_("kind"), max_length=32, default="S/N")  # VIN, S/N, engine number...
    value = models.CharField(_("serial number"), max_length=64)
    # Customer service's search by the number's end (backend/core/number_keys.py).
    value_key = number_key_field("value")

    class Meta:
        ordering = ["id"]
        indexes = [key_index("value_key", name="serial_number_value_key")]
        verbose_name = _("serial number")
        verbose_name_plural = _("serial numbers")

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"


class InsurancePolicy(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("policy status", "Active")
        EXPIRED = "expired", pgettext_lazy("policy status", "Expired")
        CANCELLED = "cancelled", pgettext_lazy("policy status", "Cancelled")

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="policies", verbose_name=_("contract")
    )
    insurer = models.CharField(_("insurer"), max_length=128)
    number = models.CharField(_("policy number"), max_length=64)
    scope = models.CharField(_("scope"), max_length=255)
    # Where the cover holds (backend/permits/countries.py maps each scope to its countries).
    territorial_scope = models.CharField(
        _("territorial scope"),
        max_length=16,
        choices=[
            ("poland", _("Poland only")),
            ("eu_eea", _("EU, EEA and Switzerland")),
            ("europe", _("Europe (Green Card countries)")),
        ],
        default="eu_eea",
    )
    sum_insured = models.DecimalField(_("sum insured"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    premium = models.DecimalField(_("premium"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status="active"),
                name="one_active_policy_per_contract",
            )
        ]
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")

    def __str__(self) -> str:
        return f"{self.insurer} {self.number}"


class ScheduleRow(models.Model):
    """One installment of the repayment schedule (harmonogram)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="schedule_rows", verbose_name=_("contract")
    )
    number = models.PositiveSmallIntegerField(_("installment number"))
    due_date = models.DateField(_("due date"))
    capital = models.DecimalField(_("capital"), max_digits=14, decimal_places=2)
    interest = models.DecimalField(_("interest"), max_digits=14, decimal_places=2)
    net = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    gross = models.DecimalField(_("gross"), max_digits=14, decimal_places=2)
    capital_remaining = models.DecimalField(_("capital remaining"), max_digits=14, decimal_places=2)
    paid = models.BooleanField(_("paid"), default=False)

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="unique_installment_number")
        ]
        indexes = [models.Index(fields=["contract", "paid", "due_date"])]
        verbose_name = _("schedule row")
        verbose_name_plural = _("schedule rows")

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.number}"


class BuyoutQuote(ChoiceLabels, models.Model):
    """A buyout / early termination quote (backend/contracts/buyout.py); binding once staff accept it."""

    class Status(models.TextChoices):
        OFFERED = "offered", pgettext_lazy("buyout quote status", "Offered")
        REQUESTED = "requested", pgettext_lazy("buyout quote status", "Requested")
        COUNTERED = "countered", pgettext_lazy("buyout quote status", "Counter-offer")
        ACCEPTED = "accepted", pgettext_lazy("buyout quote status", "Accepted")
        DECLINED = "declined", pgettext_lazy("buyout quote status", "Declined")
        EXPIRED = "expired", pgettext_lazy("buyout quote status", "Expired")
        # Its request was withdrawn or cancelled: said as the request says it, not "expired" (still dated).
        CANCELLED = "cancelled", pgettext_lazy("buyout quote status", "Cancelled")

    class Response(models.TextChoices):
        NONE = "", pgettext_lazy("counter-offer response", "No answer yet")
        ACCEPTED = "accepted", pgettext_lazy("counter-offer response", "Accepted by the client")
        DECLINED = "declined", pgettext_lazy("counter-offer response", "Declined by the client")

    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="buyout_quotes", verbose_name=_("contract")
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    quote_date = models.DateField(_("quote date"))
    effective_date = models.DateField(_("effective date"))
    valid_until = models.DateField(_("valid until"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    base_installment = models.PositiveSmallIntegerField(_("last installment before the date"), default=0)
    interest_from = models.DateField(_("interest from"))
    interest_days = models.PositiveIntegerField(_("interest days (30E/360)"))
    annual_rate = models.DecimalField(_("annual interest rate %"), max_digits=6, decimal_places=3)
    fee_percent = models.DecimalField(_("fee %"), max_digits=5, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=2)
    capital_remaining = models.DecimalField(_("capital remaining"), max_digits=14, decimal_places=2)
    residual_value = models.DecimalField(_("residual value"), max_digits=14, decimal_places=2)
    interest = models.DecimalField(_("interest"), max_digits=14, decimal_places=2)
    fee = models.DecimalField(_("fee"), max_digits=14, decimal_places=2)
    net_total = models.DecimalField(_("net total"), max_digits=14, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    unpaid_due = models.DecimalField(
        _("unpaid installments due by the date"), max_digits=14, decimal_places=2
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OFFERED)
    counter_total = models.DecimalField(
        _("counter-offer total"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    counter_reason = models.TextField(_("reason of the counter-offer"), blank=True)
    counter_valid_until = models.DateField(_("counter-offer valid until"), null=True, blank=True)
    counter_response = models.CharField(max_length=16, choices=Response.choices, blank=True, default="")
    accepted_total = models.DecimalField(
        _("binding total"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["contract", "status"]),
            models.Index(fields=["status", "valid_until"]),
        ]
        verbose_name = _("buyout quote")
        verbose_name_plural = _("buyout quotes")

    def __str__(self) -> str:
        return self.number or f"buyout quote {self.pk}"

    @property
    def offer_valid_until(self):
        """The date the current offer (the counter-offer once there is one) is valid until."""
        return self.counter_valid_until if self.counter_total is not None else self.valid_until

    @property
    def counter_pending(self) -> bool:
        """A counter-offer the client has not answered yet."""
        return self.status == self.Status.COUNTERED and not self.counter_response

    def counter_expired(self, today: date) -> bool:
        """An unanswered counter-offer past its date: the client can no longer accept it, only decline it
        or reply to ask for a new one (buyout_services.answer_counter refuses the acceptance)."""
        return (
            self.counter_pending and self.counter_valid_until is not None and self.counter_valid_until < today
        )

    @property
    def binding_total(self) -> Decimal:
        """What the client pays if accepted: the counter-offer's total once there is one."""
        if self.accepted_total is not None:
            return self.accepted_total
        return self.counter_total if self.counter_total is not None else self.total

    @property
    def binding_net(self) -> Decimal:
        """The net part of the binding total: the quote's own net total, or a counter-offer's total (which
        staff give gross, like the quote's total) back to net at the quote's VAT rate."""
        from backend.core.money import to_money

        if self.binding_total == self.total:
            return self.net_total
        return to_money(self.binding_total / (Decimal(1) + self.vat_rate))

    @property
    def binding_vat(self) -> Decimal:
        return self.binding_total - self.binding_net

    @property
    def is_vat_exempt(self) -> bool:
        """A loan's quote: its 0 VAT is "zw" (LOAN_EXEMPTION_BASIS), not VAT at 0 %."""
        return self.vat_rate == 0 and self.contract.type == Contract.Type.LOAN

    def current_status(self, today) -> str:
        """The status as of `today`: an open offer past its date reads as expired before the sweep runs."""
        open_statuses = {self.Status.OFFERED, self.Status.REQUESTED, self.Status.COUNTERED}
        if self.status in open_statuses and self.offer_valid_until < today:
            return self.Status.EXPIRED
        return self.status
