"""Lease and loan contracts, their leased items, insurance policies and repayment schedules."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition


class Currency(models.TextChoices):
    PLN = "PLN", "PLN"
    EUR = "EUR", "EUR"
    CHF = "CHF", "CHF"


class Contract(models.Model):
    class Type(models.TextChoices):
        OPERATING_LEASE = "operating_lease", _("Operating lease")
        FINANCIAL_LEASE = "financial_lease", _("Financial lease")
        LOAN = "loan", _("Loan")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("contract status", "Active")
        CLOSED = "closed", pgettext_lazy("contract status", "Closed")
        TERMINATED = "terminated", pgettext_lazy("contract status", "Terminated")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(_("number"), max_length=32, unique=True)
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
        indexes = [models.Index(fields=["client", "status"])]
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


class LeasedItem(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("name"), max_length=255)
    category = models.CharField(_("category"), max_length=64, blank=True)
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
    item = models.ForeignKey(LeasedItem, on_delete=models.CASCADE, related_name="serial_numbers")
    kind = models.CharField(_("kind"), max_length=32, default="S/N")  # VIN, S/N, engine number...
    value = models.CharField(_("serial number"), max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"


class InsurancePolicy(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("policy status", "Active")
        EXPIRED = "expired", pgettext_lazy("policy status", "Expired")
        CANCELLED = "cancelled", pgettext_lazy("policy status", "Cancelled")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="policies")
    insurer = models.CharField(_("insurer"), max_length=128)
    number = models.CharField(_("policy number"), max_length=64)
    scope = models.CharField(_("scope"), max_length=255)
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

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="schedule_rows")
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

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.number}"
