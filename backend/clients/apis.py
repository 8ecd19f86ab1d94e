"""The active client's own data (Dane klienta), read-only; changes go through a client data request.
And which company the user acts for: the list of theirs and the switch (the header's switcher's service).
"""

from __future__ import annotations

from django.http import HttpRequest
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.active import set_active_client
from backend.clients.models import Client
from backend.clients.selectors import list_clients_for_user
from backend.core.exceptions import NotFound
from backend.core.filters import id_field
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

    @extend_schema(
        responses=ClientDataSerializer,
        description=(
            "The active company's data (name, NIP, addresses, account) and which request changes them. Client"
            " users; without an active company 403 `permission_denied`."
        ),
    )
    def get(self, request):
        return Response(ClientDataSerializer(request.active_client).data)


class CompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    is_active = serializers.BooleanField(help_text="The company the client endpoints answer for now.")


class CompanySwitchInputSerializer(serializers.Serializer):
    client_id = id_field(help_text="One of the user's companies (GET /api/client/companies/).")


def _companies(request: HttpRequest) -> list[dict]:
    active_id = request.active_client.pk
    return [
        {"id": client.pk, "name": client.name, "is_active": client.pk == active_id}
        for client in list_clients_for_user(user=request.user)
    ]


class CompanyListApi(APIView):
    """The companies the user belongs to (a suspended membership hides one), the active one marked."""

    permission_classes = [IsClientUser]

    @extend_schema(responses=CompanySerializer(many=True), operation_id="client_companies_list")
    def get(self, request):
        return Response(_companies(request))


class CompanySwitchApi(APIView):
    """Act for another of the user's companies from now on (the session remembers it), as the switcher in
    the portal's header does (POST /client/switch/). A company the user is not an active member of: 404."""

    permission_classes = [IsClientUser]

    @extend_schema(
        request=CompanySwitchInputSerializer,
        responses=CompanySerializer(many=True),
        operation_id="client_companies_switch",
    )
    def post(self, request):
        serializer = CompanySwitchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The HttpRequest, as the page's switcher passes: the middleware's attributes live on it.
        if set_active_client(request._request, client_id=serializer.validated_data["client_id"]) is None:
            raise NotFound()
        return Response(_companies(request))
