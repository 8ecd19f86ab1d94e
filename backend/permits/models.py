"""Permits to take a leased vehicle abroad (zgody na wyjazd za granicę), issued by the permit process.

The verification code is printed on the PDF and opens the public verification page; it is random
(160 bits), so codes cannot be guessed or enumerated. A permit can be revoked by staff (backend/permits/services.py: reason required, audited).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.choice_labels import ChoiceLabels


class VehiclePermit(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    request = models.OneToOneField(
        "requests_app.PortalRequest",
        on_delete=models.PROTECT,
        related_name="vehicle_permit",
        verbose_name=_("request"),
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("verification code"), max_length=64, unique=True)
    holder_name = models.CharField(_("holder"), max_length=255)
    vehicle = models.CharField(_("vehicle"), max_length=255)
    vin = models.CharField(_("VIN"), max_length=64, blank=True)
    countries = models.JSONField(_("countries"), default=list)
    date_from = models.DateField(_("valid from"))
    date_to = models.DateField(_("valid to"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID)
    # Issued by staff although rules of the DMN table failed: which (their codes, comma-separated) and why.
    failed_rule = models.CharField(_("failed rule"), max_length=255, blank=True)
    staff_reason = models.TextField(_("reason of the staff's approval"), blank=True)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("reason of the revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("permit to take a vehicle abroad")
        verbose_name_plural = _("permits to take a vehicle abroad")

    def __str__(self) -> str:
        return f"{self.request} {self.status}"
