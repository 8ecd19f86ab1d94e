"""The accountant's month package ("dla księgowości"): start it, follow its progress, download the ZIP
(scoped to the user and the active client; the worker builds it, accounting_exports.py)."""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.core.file_downloads import FileDownloadApi
from backend.core.permissions import IsClientUser
from backend.invoices.accounting import parse_month
from backend.invoices.accounting_exports import (
    accounting_export_response,
    failure_message,
    get_accounting_export,
    start_accounting_export,
)
from backend.invoices.models import AccountingExport


class AccountingZipInputSerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        help_text=_("Month of the invoices' issue date, YYYY-MM; not in the future."),
    )


def _month_of(request) -> object:
    """The month from the body (JSON or form); parse_month words every refusal of it."""
    return request.data.get("month") if isinstance(request.data, Mapping) else None


class AccountingExportErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class AccountingExportSerializer(serializers.ModelSerializer):
    """An accounting ZIP being prepared or ready: its progress, and the file's URL once ready."""

    month = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = AccountingExport
        fields = [
            "id",
            "month",
            "status",
            "done",
            "total",
            "created_at",
            "finished_at",
            "url",
            "file_url",
            "error",
        ]

    def get_month(self, export: AccountingExport) -> str:
        return f"{export.month:%Y-%m}"

    def get_url(self, export: AccountingExport) -> str:
        return reverse("invoice-accounting-export", args=[export.pk])

    def get_file_url(self, export: AccountingExport) -> str | None:
        if export.status != AccountingExport.Status.READY:
            return None
        return reverse("invoice-accounting-export-file", args=[export.pk])

    @extend_schema_field(AccountingExportErrorSerializer(allow_null=True))
    def get_error(self, export: AccountingExport) -> dict | None:
        if export.status != AccountingExport.Status.FAILED:
            return None
        return {"code": "export_failed", "message": failure_message()}


# A POST (CSRF-checked for a session): a GET that started a job could be set off by any other site's link
# or redirect, spending the user's quota of packages.
class InvoiceAccountingZipApi(APIView):
    """Start the month's ZIP for the accountant ("dla księgowości"): each invoice as PDF and FA(3) XML, plus
    a CSV. The worker builds it; the answer is 202 with the job to follow in `Location` (the same job while
    it is being built). Another month while 2 of the user's are being prepared: 429 `exports_in_progress`."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.EXPORTS
    post_only_reads = True  # the package only reads the invoices: the accountant's role reads
    throttle_scopes = {"POST": "zip_exports"}
    http_method_names = ["post", "options"]

    @extend_schema(
        request=AccountingZipInputSerializer,
        responses={202: AccountingExportSerializer},
    )
    def post(self, request):
        month = parse_month(_month_of(request), today=timezone.localdate())
        export = start_accounting_export(user=request.user, client=request.active_client, month=month)
        data = AccountingExportSerializer(export).data
        return Response(data, status=202, headers={"Location": data["url"]})


class AccountingExportApi(APIView):
    """An accounting ZIP of the user's: status, progress (done of total invoices), the file's URL once
    ready, the error once failed. Another user's or client's is 404."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.EXPORTS

    @extend_schema(responses=AccountingExportSerializer)
    def get(self, request, export_id: int):
        export = get_accounting_export(user=request.user, client=request.active_client, export_id=export_id)
        return Response(AccountingExportSerializer(export).data)


class AccountingExportFileApi(FileDownloadApi):
    """The finished ZIP (404 until it is ready)."""

    file_media_types = ("application/zip",)
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.EXPORTS

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("ZIP with the month's invoices and a CSV summary")
            )
        }
    )
    def get(self, request, export_id: int):
        client = request.active_client
        export = get_accounting_export(user=request.user, client=client, export_id=export_id)
        return accounting_export_response(export=export, client=client)
