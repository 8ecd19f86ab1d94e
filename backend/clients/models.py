"""Business clients of the lessor and the users who act for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.clients.validators import (
    CodeListValidator,
    validate_krs,
    validate_nip,
    validate_polish_iban,
    validate_regon,
)
from backend.core.choice_labels import ChoiceLabels
from backend.core.number_keys import key_index, phone_key_field
from backend.core.text_search import email_domain_key_field, email_key_field, name_key_field


class Client(models.Model):
    name = models.CharField(_("name"), max_length=255)
    nip = models.CharField(_("NIP"), max_length=10, unique=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, validators=[validate_regon])
    krs = models.CharField(_("KRS"), max_length=10, blank=True, validators=[validate_krs])
    registered_street = models.CharField(_("street (registered office)"), max_length=255)
    registered_postal_code = models.CharField(_("postal code (registered office)"), max_length=6)
    registered_city = models.CharField(_("city (registered office)"), max_length=100)
    correspondence_street = models.CharField(_("street (correspondence)"), max_length=255, blank=True)
    correspondence_postal_code = models.CharField(_("postal code (correspondence)"), max_length=6, blank=True)
    correspondence_city = models.CharField(_("city (correspondence)"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=32)
    bank_account = models.CharField(
        _("bank account (IBAN)"), max_length=28, validators=[validate_polish_iban]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Customer service's search (requests_app/staff_client_search.py): keys the database keeps, each an
    # index range (core/number_keys.py, core/text_search.py) but the name's, which is scanned.
    name_key = name_key_field("name", max_length=255)
    phone_key = phone_key_field("phone")
    email_key = email_key_field("email")
    email_domain_key = email_domain_key_field("email")

    class Meta:
        ordering = ["name"]
        indexes = [
            key_index("nip", name="client_nip_prefix"),
            key_index("regon", name="client_regon_prefix"),
            key_index("phone_key", name="client_phone_key"),
            key_index("email_key", name="client_email_key"),
            key_index("email_domain_key", name="client_email_domain_key"),
        ]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        return f"{self.name} (NIP {self.nip})"

    @property
    def registered_address(self) -> str:
        return f"{self.registered_street}, {self.registered_postal_code} {self.registered_city}"

    @property
    def correspondence_address(self) -> str:
        if not self.correspondence_street:
            return self.registered_address
        return f"{self.correspondence_street}, {self.correspondence_postal_code} {self.correspondence_city}"


@dataclass(frozen=True)
class PersonShown:
    """A member as the company's administrators see them (ClientMembership.person)."""

    email: str
    first_name: str
    last_name: str
    last_login: datetime | None
    activated: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ClientMembership(ChoiceLabels, models.Model):
    """A user may act for several clients; every client-side query is scoped to the active one."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        FLEET_MANAGER = "fleet_manager", _("Fleet manager")
        ACCOUNTANT = "accountant", _("Accountant")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        # Someone with an account already, invited by another company's administrator: no access until
        # they accept after logging in (backend/clients/members.py: accept_invitation).
        INVITED = "invited", _("Invited, not accepted yet")

    class Grant(models.TextChoices):
        MESSAGES = "messages", _("Messages")
        REQUESTS = "requests", _("Requests")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("client")
    )
    is_default = models.BooleanField(_("default client"), default=False)
    # What the user may see and do for this client: backend/clients/access_rules.py reads these.
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.OWNER)
    is_admin = models.BooleanField(_("client administrator"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    all_contracts = models.BooleanField(_("all contracts"), default=True)
    # By name, not import: contracts sits above clients in the layers.
    contracts = models.ManyToManyField(
        "contracts.Contract", blank=True, related_name="+", verbose_name=_("contracts")
    )
    grants = models.JSONField(
        _("extra rights"), default=list, blank=True, validators=[CodeListValidator(Grant.values)]
    )
    # What the inviting administrator typed (email, first_name, last_name), shown until an invited
    # person accepts; emptied then.
    invitation = models.JSONField(_("invitation as typed"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "client"], name="unique_membership")]
        verbose_name = _("client membership")
        verbose_name_plural = _("client memberships")

    def __str__(self) -> str:
        return f"{self.user} → {self.client.name}"

    @property
    def person(self) -> PersonShown:
        """The member as the company's administrators see them (page and API): until someone who has an
        account already accepts the invitation, only what the inviter typed, never the account's own name,
        activation or last login."""
        if self.status == self.Status.INVITED:
            typed = self.invitation or {}
            return PersonShown(
                email=str(typed.get("email", "")),
                first_name=str(typed.get("first_name", "")),
                last_name=str(typed.get("last_name", "")),
                last_login=None,
                activated=False,
            )
        user = self.user
        return PersonShown(
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            last_login=user.last_login,
            activated=user.has_usable_password(),
        )
