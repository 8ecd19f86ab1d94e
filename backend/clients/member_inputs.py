"""Input of the client administrator's user forms, shared by the "Użytkownicy" page and the API.

A change is read with `partial=True` by the API's PATCH: only the fields sent change (DRF then leaves the
defaults out), the page posts all of them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.clients.members import Access, AccessChange
from backend.clients.models import ClientMembership
from backend.core.filters import id_field
from backend.core.text_fields import SingleLineTextField


class MemberAccessInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=ClientMembership.Role.choices, label=_("role"))
    is_admin = serializers.BooleanField(default=False, label=_("client administrator"))
    all_contracts = serializers.BooleanField(default=False, label=_("all contracts"))
    contract_ids = serializers.ListField(child=id_field(), required=False, default=list, label=_("contracts"))
    grants = serializers.ListField(
        child=serializers.ChoiceField(choices=ClientMembership.Grant.choices),
        required=False,
        default=list,
        label=_("extra rights"),
    )

    def access(self) -> Access:
        data = self.validated_data
        return Access(
            role=data["role"],
            is_admin=data["is_admin"],
            all_contracts=data["all_contracts"],
            contract_ids=list(data["contract_ids"]),
            grants=list(data["grants"]),
        )

    def change(self) -> AccessChange:
        """The fields given (all of them unless partial); the service keeps the others as they are."""
        data = self.validated_data
        return AccessChange(
            role=data.get("role"),
            is_admin=data.get("is_admin"),
            all_contracts=data.get("all_contracts"),
            contract_ids=list(data["contract_ids"]) if "contract_ids" in data else None,
            grants=list(data["grants"]) if "grants" in data else None,
        )


class MemberInviteInput(MemberAccessInput):
    email = serializers.EmailField(max_length=254, label=_("e-mail"))
    first_name = SingleLineTextField(max_length=150, label=_("first name"))
    last_name = SingleLineTextField(max_length=150, label=_("last name"))
