"""Drafts of client forms, saved on the server as the user types (one per user, client and form)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Draft(models.Model):
    """What a user typed into one form for one client; replaced by each save, deleted on a successful send.

    `form_key` names the form: "request:<kind>", "request:reply:<request id>", "message:new" or
    "message:reply:<thread id>".
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    form_key = models.CharField(_("form"), max_length=64)
    data = models.JSONField(_("typed values"), default=dict)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client", "form_key"], name="unique_draft_per_user_client_form"
            )
        ]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return f"{self.form_key} ({self.user_id}/{self.client_id})"
