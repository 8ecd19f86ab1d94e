"""Stored documents of the client's contracts: compensation notes, balance confirmations, annexes,
decision documents. Files live under MEDIA_ROOT with random names and are served only by views that
check the user may see them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backend.core.choice_labels import ChoiceLabels


class Document(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        COMPENSATION_NOTE = "compensation_note", _("Compensation note")
        BALANCE_CONFIRMATION = "balance_confirmation", _("Balance confirmation")
        ANNEX = "annex", _("Annex to the contract")
        DECISION = "decision", _("Decision letter")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        POLISH = "pl", _("Polish")  # the lessor's documents are legally Polish
        POLISH_ENGLISH = "pl-en", _("Polish and English")  # a permit to go abroad

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
    # A document the portal generated for a request (decision letter, annex, permit): the request it
    # answers; a Polish one's title is then built when shown, in the reader's language (display_title).
    request_number = models.CharField(_("request number"), max_length=32, blank=True, default="")
    language = models.CharField(
        _("language of the document"), max_length=8, choices=Language.choices, default=Language.POLISH
    )
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

    @staticmethod
    def generated_title(kind: str, *, request_number: str, contract_number: str = "") -> str:
        """The title of a Polish document the portal generates for a request (an annex, else a decision
        letter), in the active language: stored in Polish, shown in the reader's (display_title)."""
        if kind == Document.Kind.ANNEX and contract_number:
            return gettext("Annex to contract %(contract)s (request %(request)s)") % {
                "contract": contract_number,
                "request": request_number,
            }
        return gettext("Decision on request %(request)s") % {"request": request_number}

    @property
    def display_title(self) -> str:
        """The title in the reader's language. A generated Polish document's title is built from its kind
        and numbers; any other keeps the title it came with (a permit's is in both of its languages)."""
        if not self.request_number or self.language != self.Language.POLISH:
            return self.title
        contract_number = self.contract.number if self.contract_id else ""
        return self.generated_title(
            self.kind, request_number=self.request_number, contract_number=contract_number
        )

    @property
    def in_polish_only(self) -> bool:
        """Written in Polish only: said next to its title to a reader of another language."""
        return self.language == self.Language.POLISH
