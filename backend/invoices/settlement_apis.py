"""Client-side settlement endpoints: the summary and the rows behind each of its figures (scoped to the
active client)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.contracts.buyout_apis import AgreedBuyoutSerializer
from backend.contracts.models import Currency
from backend.contracts.selectors import list_agreed_buyouts_for_client
from backend.core.filters import id_query_field
from backend.core.permissions import IsClientUser
from backend.invoices.apis import (
    INVOICE_LIST_COLUMNS,
    CompensationSerializer,
    InvoiceListSerializer,
    PaymentSerializer,
)
from backend.invoices.selectors import get_settlement_summary, list_settlement_rows


class SettlementAmountsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    due = serializers.DecimalField(max_digits=16, decimal_places=2)
    overdue = serializers.DecimalField(max_digits=16, decimal_places=2)
    paid = serializers.DecimalField(max_digits=16, decimal_places=2)
    compensations = serializers.DecimalField(max_digits=16, decimal_places=2)


class SettlementContractSerializer(serializers.Serializer):
    contract_id = serializers.IntegerField(allow_null=True)
    contract_number = serializers.CharField(allow_null=True)
    amounts = SettlementAmountsSerializer(many=True)


class SettlementSummarySerializer(serializers.Serializer):
    totals = SettlementAmountsSerializer(many=True)
    contracts = SettlementContractSerializer(many=True)
    agreed_buyouts = AgreedBuyoutSerializer(
        many=True, help_text="Buyouts agreed and still to be paid (not invoiced: not in the totals)."
    )


class SettlementSummaryApi(APIView):
    """Settlement state: amounts due, overdue, paid and compensated, in total and per contract."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.INVOICES

    @extend_schema(responses=SettlementSummarySerializer)
    def get(self, request):
        client = request.active_client
        summary = {
            **get_settlement_summary(client=client),
            "agreed_buyouts": list_agreed_buyouts_for_client(client=client),
        }
        return Response(SettlementSummarySerializer(summary).data)


_CONTRACT_PARAM = OpenApiParameter("contract", int, description=_("Only this contract's rows."))
_CURRENCY_PARAM = OpenApiParameter(
    "currency", str, enum=Currency.values, description=_("Only the rows in this currency.")
)


class SettlementRowsQuerySerializer(serializers.Serializer):
    contract = id_query_field()
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)


class _SettlementRowsApi(generics.ListAPIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.INVOICES
    figure = ""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        query = SettlementRowsQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        rows = list_settlement_rows(
            client=self.request.active_client,
            figure=self.figure,
            contract_id=query.validated_data.get("contract"),
            currency=query.validated_data.get("currency"),
        )
        return rows.only(*INVOICE_LIST_COLUMNS) if self.serializer_class is InvoiceListSerializer else rows

    @extend_schema(parameters=[_CONTRACT_PARAM, _CURRENCY_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SettlementDueApi(_SettlementRowsApi):
    """Invoices not yet fully settled: the rows behind the amount due (remaining amounts)."""

    serializer_class = InvoiceListSerializer
    figure = "due"


class SettlementOverdueApi(_SettlementRowsApi):
    """Unsettled invoices past their due date: the rows behind the overdue amount."""

    serializer_class = InvoiceListSerializer
    figure = "overdue"


class SettlementPaidApi(_SettlementRowsApi):
    """Payments received: the rows behind the paid amount."""

    serializer_class = PaymentSerializer
    figure = "paid"


class SettlementCompensationsApi(_SettlementRowsApi):
    """Compensations applied: the rows behind the compensated amount."""

    serializer_class = CompensationSerializer
    figure = "compensations"
