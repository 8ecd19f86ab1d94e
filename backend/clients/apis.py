"""The active client's own data (Dane klienta), read-only; changes go through a client data request."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.models import Client
from backend.core.identifiers import format_iban as format_account
from backend.core.identifiers import format_nip
from backend.core.permissions import IsClientUser


class ClientDataSerializer(serializers.ModelSerializer):
    nip_formatted = serializers.SerializerMethodField()
    registered_address = serializers.CharField(read_only=True)
    correspondence_address = serializers.CharField(read_only=True)
    bank_account_formatted = serializers.SerializerMethodField()
    change_request = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "nip",
            "nip_formatted",
            "regon",
            "krs",
            "registered_street",
            "registered_postal_code",
            "registered_city",
            "registered_address",
            "correspondence_street",
            "correspondence_postal_code",
            "correspondence_city",
            "correspondence_address",
            "email",
            "phone",
            "bank_account",
            "bank_account_formatted",
            "change_request",
        ]
        read_only_fields = fields

    def get_nip_formatted(self, client: Client) -> str:
        return format_nip(client.nip)

    def get_bank_account_formatted(self, client: Client) -> str:
        return format_account(client.bank_account)

    def get_change_request(self, client: Client) -> dict[str, str]:
        """Which request changes these data ("Zmień dane"): the screens open a new request of this kind."""
        return {"type": "client_data", "kind": "client_data_change"}


class ClientDataApi(APIView):
    permission_classes = [IsClientUser]

    @extend_schema(responses=ClientDataSerializer)
    def get(self, request):
        return Response(ClientDataSerializer(request.active_client).data)
