"""Client endpoints of buyout quotes: list and give a quote for a contract, read one, download its PDF.

Submitting a request from a quote and answering a counter-offer are requests' endpoints
(backend/requests_app/buyout_apis.py).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.contracts.buyout_pdf import quote_filename, quote_pdf
from backend.contracts.buyout_services import create_quote
from backend.contracts.inputs import BuyoutQuoteInputSerializer
from backend.contracts.models import BuyoutQuote
from backend.contracts.selectors import get_contract_for_client, get_quote_for_client
from backend.core.file_downloads import FileDownloadApi
from backend.core.permissions import IsClientUser
from backend.documents.downloads import IF_NONE_MATCH, NOT_MODIFIED_RESPONSE, pdf_response


class AgreedBuyoutSerializer(serializers.Serializer):
    """A buyout agreed and still to be paid: what, by when (its effective date ends the contract)."""

    number = serializers.CharField(help_text="The quote's number, the transfer title.")
    contract = serializers.IntegerField(source="contract_id")
    contract_number = serializers.CharField(source="contract.number")
    payment_due = serializers.DateField(source="effective_date", help_text="The contract ends on this day.")
    currency = serializers.CharField()
    net = serializers.DecimalField(source="binding_net", max_digits=14, decimal_places=2)
    vat = serializers.DecimalField(source="binding_vat", max_digits=14, decimal_places=2)
    total = serializers.DecimalField(source="binding_total", max_digits=14, decimal_places=2)


class BuyoutQuoteOutputSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    binding_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    offer_valid_until = serializers.DateField(read_only=True)

    class Meta:
        model = BuyoutQuote
        fields = [
            "id",
            "number",
            "contract",
            "contract_number",
            "quote_date",
            "effective_date",
            "valid_until",
            "currency",
            "base_installment",
            "interest_from",
            "interest_days",
            "annual_rate",
            "fee_percent",
            "vat_rate",
            "capital_remaining",
            "residual_value",
            "interest",
            "fee",
            "net_total",
            "vat",
            "total",
            "unpaid_due",
            "status",
            "status_label",
            "counter_total",
            "counter_reason",
            "counter_valid_until",
            "counter_response",
            "offer_valid_until",
            "binding_total",
            "accepted_total",
            "accepted_at",
        ]

    def get_status(self, quote: BuyoutQuote) -> str:
        return quote.current_status(timezone.localdate())

    def get_status_label(self, quote: BuyoutQuote) -> str:
        return str(BuyoutQuote.Status(quote.current_status(timezone.localdate())).label)


class ContractBuyoutQuotesApi(APIView):
    """The contract's buyout quotes (GET), or a new quote for an effective date (POST)."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS
    throttle_scopes = {"POST": "submissions"}  # each quote is kept, numbered (backend/core/throttling.py)

    @extend_schema(
        responses=BuyoutQuoteOutputSerializer(many=True), operation_id="contracts_buyout_quotes_list"
    )
    def get(self, request, contract_id: int):
        contract = get_contract_for_client(client=request.active_client, contract_id=contract_id)
        quotes = BuyoutQuote.objects.filter(contract=contract, client=request.active_client).select_related(
            "contract"
        )
        return Response(BuyoutQuoteOutputSerializer(quotes, many=True).data)

    @extend_schema(
        request=BuyoutQuoteInputSerializer,
        responses={201: BuyoutQuoteOutputSerializer},
        operation_id="contracts_buyout_quotes_create",
    )
    def post(self, request, contract_id: int):
        contract = get_contract_for_client(client=request.active_client, contract_id=contract_id)
        serializer = BuyoutQuoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quote = create_quote(
            user=request.user,
            client=request.active_client,
            contract=contract,
            effective_date=serializer.validated_data["effective_date"],
        )
        return Response(BuyoutQuoteOutputSerializer(quote).data, status=201)


class BuyoutQuoteDetailApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS

    @extend_schema(
        responses=BuyoutQuoteOutputSerializer,
        operation_id="contracts_buyout_quotes_detail",
        description="One buyout quote of the contract: amounts, validity, status and any counter-offer.",
    )
    def get(self, request, contract_id: int, quote_id: int):
        quote = get_quote_for_client(client=request.active_client, contract_id=contract_id, quote_id=quote_id)
        return Response(BuyoutQuoteOutputSerializer(quote).data)


class QuotePdfQuerySerializer(serializers.Serializer):
    # A language the portal does not speak is a 400: it fell back to the active language without a word.
    lang = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, allow_blank=True)


class BuyoutQuotePdfApi(FileDownloadApi):
    file_media_types = ("application/pdf",)
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.REQUESTS
    throttle_scopes = {"GET": "exports"}

    @extend_schema(
        parameters=[
            OpenApiParameter("lang", str, enum=["pl", "en"], description=_("Language of the PDF.")),
            IF_NONE_MATCH,
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("Quote PDF")),
            304: NOT_MODIFIED_RESPONSE,
        },
        operation_id="contracts_buyout_quotes_pdf",
    )
    def get(self, request, contract_id: int, quote_id: int):
        query = QuotePdfQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        quote = get_quote_for_client(client=request.active_client, contract_id=contract_id, quote_id=quote_id)
        lang = query.validated_data.get("lang") or translation.get_language() or "pl"
        return pdf_response(request, quote_pdf(quote, lang=lang), filename=quote_filename(quote, lang=lang))
