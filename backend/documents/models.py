"""Stored documents of the client's contracts: compensation notes, balance confirmations, annexes,
decision documents. Files live under MEDIA_ROOT with random names and are served only by views that
check the user may see them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.choice_labels import ChoiceLabels


class Document(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        COMPENSATION_NOTE = "compensation_note", _("Compensation note")
        BALANCE_CONFIRMATION = "balance_confirmation", _("Balance confirmation")
        ANNEX = "annex", _("Annex to the contract")
        DECISION = "decision", _("Decision letter")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="documents", verbose_name=_("client")
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("contract"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=128)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    issued_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["client", "kind", "-issued_on"])]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
