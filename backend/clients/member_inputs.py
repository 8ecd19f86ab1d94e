"""Input of the client administrator's user forms, shared by the "Użytkownicy" page and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.clients.members import Access
from backend.clients.models import ClientMembership
from backend.core.filters import id_field


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


class MemberInviteInput(MemberAccessInput):
    email = serializers.EmailField(max_length=254, label=_("e-mail"))
    first_name = serializers.CharField(max_length=150, label=_("first name"))
    last_name = serializers.CharField(max_length=150, label=_("last name"))
