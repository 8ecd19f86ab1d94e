"""Client-side contract endpoints: list, details, schedule (JSON and downloads), items, policies."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.contracts.buyout_apis import AgreedBuyoutSerializer
from backend.contracts.exports import (
    export_filename,
    schedule_export_for,
    schedule_to_csv,
    schedule_to_pdf,
    schedule_to_xlsx,
)
from backend.contracts.filters import ContractFilter
from backend.contracts.models import Contract, InsurancePolicy, LeasedItem, ScheduleRow, SerialNumber
from backend.contracts.selectors import (
    accepted_buyout,
    get_active_policy,
    get_contract_for_client,
    get_policy_for_contract,
    list_contracts_for_client,
    list_items_for_contract,
    list_policies_for_contract,
    list_schedule_rows,
    list_schedule_rows_for_client,
)
from backend.core.exceptions import PortalValidationError
from backend.core.file_downloads import FileDownloadApi
from backend.core.permissions import IsClientUser
from backend.core.serializers import FlatReadSerializerMixin
from backend.core.table_files import CSV_CONTENT_TYPE, CSV_DIALECTS, DEFAULT_CSV_DIALECT, XLSX_CONTENT_TYPE
from backend.documents.downloads import attachment_response


class ContractListSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    item_name = serializers.CharField(read_only=True, allow_null=True)
    item_count = serializers.IntegerField(read_only=True)
    capital_remaining = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "type",
            "type_label",
            "item_name",
            "item_count",
            "start_date",
            "end_date",
            "net_value",
            "currency",
            "capital_remaining",
            "status",
            "status_label",
        ]


class ContractDetailSerializer(ContractListSerializer):
    residual_value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    agreed_buyout = serializers.SerializerMethodField(
        help_text="The buyout agreed for the contract and still to be paid, or null."
    )

    @extend_schema_field(AgreedBuyoutSerializer(allow_null=True))
    def get_agreed_buyout(self, contract: Contract) -> dict | None:
        if contract.status != Contract.Status.ACTIVE:
            return None  # ended: on its buyout's date, the buyout was due then (settlements show no more)
        buyout = accepted_buyout(contract)
        return AgreedBuyoutSerializer(buyout).data if buyout else None

    class Meta(ContractListSerializer.Meta):
        fields = [
            *ContractListSerializer.Meta.fields,
            "residual_percent",
            "residual_value",
            "annual_rate",
            "months",
            "payment_day",
            "agreed_buyout",
        ]


class ScheduleRowSerializer(FlatReadSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = ScheduleRow
        fields = [
            "number",
            "due_date",
            "capital",
            "interest",
            "net",
            "vat",
            "gross",
            "capital_remaining",
            "paid",
        ]


class SerialNumberSerializer(serializers.ModelSerializer):
    class Meta:
        model = SerialNumber
        fields = ["kind", "value"]


class LeasedItemSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    serial_numbers = SerialNumberSerializer(many=True, read_only=True)

    class Meta:
        model = LeasedItem
        fields = [
            "id",
            "name",
            "category",
            "category_label",
            "manufacturer",
            "production_year",
            "net_value",
            "serial_numbers",
        ]


class PolicySerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = InsurancePolicy
        fields = [
            "id",
            "insurer",
            "number",
            "scope",
            "sum_insured",
            "currency",
            "period_start",
            "period_end",
            "premium",
            "status",
            "status_label",
        ]


class ContractListApi(generics.ListAPIView):
    """The client's contracts with item, capital remaining and status."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.CONTRACTS
    serializer_class = ContractListSerializer
    filterset_class = ContractFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        return list_contracts_for_client(client=self.request.active_client)


class ContractDetailApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.CONTRACTS

    @extend_schema(
        responses=ContractDetailSerializer,
        description=(
            "One contract: terms, leased items, capital remaining, agreed buyout. A contract the user may not see"
            " or another company's: 404 `not_found`."
        ),
    )
    def get(self, request, contract_id: int):
        contract = get_contract_for_client(client=request.active_client, contract_id=contract_id)
        return Response(ContractDetailSerializer(contract).data)


class ContractScheduleApi(APIView):
    """The whole repayment schedule (HARMONOGRAM), every installment."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.CONTRACTS

    @extend_schema(responses=ScheduleRowSerializer(many=True))
    def get(self, request, contract_id: int):
        rows = list_schedule_rows_for_client(client=request.active_client, contract_id=contract_id)
        return Response(ScheduleRowSerializer(rows, many=True).data)


class _ScheduleDownloadApi(FileDownloadApi):
    # The schedule's files are exports (the accounting ZIP's area), not the schedule read on the page.
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.EXPORTS
    throttle_scopes = {"GET": "exports"}  # rendered on each call (backend/core/throttling.py)

    def export(self, request, contract_id: int):
        contract = get_contract_for_client(client=request.active_client, contract_id=contract_id)
        contract.client = request.active_client
        return schedule_export_for(
            contract, list(list_schedule_rows(contract=contract)), lang=translation.get_language() or "pl"
        )


class ContractSchedulePdfApi(_ScheduleDownloadApi):
    file_media_types = ("application/pdf",)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("Schedule PDF"))
        }
    )
    def get(self, request, contract_id: int):
        data = self.export(request, contract_id)
        return attachment_response(
            schedule_to_pdf(data), filename=export_filename(data, "pdf"), content_type="application/pdf"
        )


class ContractScheduleXlsxApi(_ScheduleDownloadApi):
    file_media_types = (XLSX_CONTENT_TYPE,)

    @extend_schema(
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=_("Schedule XLSX"))
        }
    )
    def get(self, request, contract_id: int):
        data = self.export(request, contract_id)
        return attachment_response(
            schedule_to_xlsx(data), filename=export_filename(data, "xlsx"), content_type=XLSX_CONTENT_TYPE
        )


class ContractScheduleCsvApi(_ScheduleDownloadApi):
    file_media_types = ("text/csv",)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "dialect",
                str,
                enum=list(CSV_DIALECTS),
                description=_(
                    "excel-pl (default): semicolons, decimal comma, UTF-8 with BOM; rfc4180: plain CSV."
                ),
            )
        ],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description=_("Schedule CSV"))},
    )
    def get(self, request, contract_id: int):
        dialect = request.query_params.get("dialect", DEFAULT_CSV_DIALECT)
        if dialect not in CSV_DIALECTS:
            message = _("Choose one of: %(choices)s.") % {"choices": ", ".join(CSV_DIALECTS)}
            raise PortalValidationError(message, fields={"dialect": [message]})
        data = self.export(request, contract_id)
        return attachment_response(
            schedule_to_csv(data, dialect=dialect),
            filename=export_filename(data, "csv"),
            content_type=CSV_CONTENT_TYPE,
        )


class ContractItemsApi(APIView):
    """Leased items (PRZEDMIOTY) with their serial numbers."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.CONTRACTS

    @extend_schema(responses=LeasedItemSerializer(many=True))
    def get(self, request, contract_id: int):
        contract = get_contract_for_client(client=request.active_client, contract_id=contract_id)
        return Response(LeasedItemSerializer(list_items_for_contract(contract=contract), many=True).data)


class ContractPoliciesApi(APIView):
    """Insurance policies of the contract (Polisy)."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.CONTRACTS

    @extend_schema(responses=PolicySerializer(many=True))
    def get(self, request, contract_id: int):
        contract = get_contract_for_client(client=request.active_client, contract_id=contract_id)
        return Response(PolicySerializer(list_policies_for_contract(contract=contract), many=True).data)


class ContractActivePolicyApi(APIView):
    """The active insurance policy of the contract (404 when it has none)."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.CONTRACTS

    @extend_schema(responses=PolicySerializer)
    def get(self, request, contract_id: int):
        contract = get_contract_for_client(client=request.active_client, contract_id=contract_id)
        return Response(PolicySerializer(get_active_policy(contract=contract)).data)


class ContractPolicyDetailApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.CONTRACTS

    @extend_schema(
        responses=PolicySerializer,
        description="One insurance policy of the contract (404 `not_found` if not).",
    )
    def get(self, request, contract_id: int, policy_id: int):
        contract = get_contract_for_client(client=request.active_client, contract_id=contract_id)
        return Response(
            PolicySerializer(get_policy_for_contract(contract=contract, policy_id=policy_id)).data
        )
