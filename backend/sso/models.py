"""Bank single sign-on: who a bank customer is in the portal, and which assertions were already used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BankCustomerLink(models.Model):
    """An explicit link from the bank's customer id to one portal user; no link, no hand-off."""

    bank_customer_id = models.CharField(_("bank customer id"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bank_customer_links",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank customer link")
        verbose_name_plural = _("bank customer links")

    def __str__(self) -> str:
        return f"{self.bank_customer_id} → {self.user}"


class UsedAssertion(models.Model):
    """A bank assertion id (jti) already accepted; kept until the assertion would have expired anyway.

    The unique jti makes two simultaneous hand-offs of one assertion race-safe: one insert wins.
    """

    jti = models.CharField(_("assertion id (jti)"), max_length=128, unique=True)
    bank_customer_id = models.CharField(_("bank customer id"), max_length=64)
    used_at = models.DateTimeField(_("used at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("used bank assertion")
        verbose_name_plural = _("used bank assertions")

    def __str__(self) -> str:
        return self.jti
