"""Client-side invoice, archive and duplicate endpoints (scoped to the active client). The accounting
export's are in accounting_apis.py, the settlements' in settlement_apis.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.clients.access_rules import Area
from backend.clients.permissions import HasClientArea
from backend.core.file_downloads import FileDownloadApi
from backend.core.permissions import IsClientUser
from backend.core.serializers import FlatReadSerializerMixin
from backend.documents.downloads import (
    IF_NONE_MATCH,
    NOT_MODIFIED_RESPONSE,
    attachment_response,
    pdf_response,
)
from backend.invoices.filters import InvoiceFilter
from backend.invoices.ksef import build_fa3_xml, fa3_filename
from backend.invoices.models import (
    Compensation,
    Invoice,
    InvoiceDuplicate,
    InvoiceLine,
    InvoiceStatus,
    Payment,
)
from backend.invoices.pdf import invoice_document_for, invoice_pdf, invoice_pdf_filename
from backend.invoices.selectors import (
    get_duplicate_for_client,
    get_invoice_detail_for_client,
    get_invoice_for_client,
    list_invoices_for_client,
    numbered_duplicates,
)
from backend.invoices.services import create_duplicate

PDF_RESPONSE = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("Invoice PDF")),
    304: NOT_MODIFIED_RESPONSE,
}


class InvoiceListSerializer(FlatReadSerializerMixin, serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=InvoiceStatus.choices, read_only=True)
    remaining_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    contract_number = serializers.CharField(
        source="contract.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "issue_date",
            "sale_date",
            "due_date",
            "currency",
            "net_total",
            "vat_total",
            "gross_total",
            "paid_amount",
            "remaining_amount",
            "status",
            "contract_id",
            "contract_number",
            "ksef_number",
        ]


class InvoiceLineSerializer(serializers.ModelSerializer):
    vat_exempt = serializers.BooleanField(
        read_only=True, help_text='Exempt from VAT ("zw", a loan\'s installment), not taxed at 0%.'
    )

    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "description",
            "quantity",
            "unit",
            "unit_net",
            "vat_rate",
            "vat_exempt",
            "net",
            "vat",
            "gross",
        ]


class PaymentSerializer(FlatReadSerializerMixin, serializers.ModelSerializer):
    invoice_number = serializers.CharField(
        source="invoice.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Payment
        fields = ["id", "invoice_id", "invoice_number", "amount", "currency", "paid_on", "reference"]


class CompensationSerializer(FlatReadSerializerMixin, serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)

    class Meta:
        model = Compensation
        fields = ["id", "invoice_id", "invoice_number", "amount", "currency", "compensated_on", "note_number"]


class DuplicateSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(
        read_only=True,
        help_text="The duplicate's number within its invoice (1, 2, ...), as in its file name.",
    )
    requested_by = serializers.CharField(source="requested_by.get_full_name", read_only=True)

    class Meta:
        model = InvoiceDuplicate
        fields = ["id", "number", "issued_at", "requested_by"]


class InvoiceDetailSerializer(InvoiceListSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    vat_exemption_basis = serializers.CharField(
        read_only=True, help_text="The legal basis of the VAT exemption when a line is exempt, else empty."
    )
    payments = PaymentSerializer(many=True, read_only=True)
    compensations = CompensationSerializer(many=True, read_only=True)
    duplicates = DuplicateSerializer(many=True, read_only=True)

    class Meta(InvoiceListSerializer.Meta):
        fields = [
            *InvoiceListSerializer.Meta.fields,
            "exchange_rate",
            "exchange_rate_date",
            "exchange_rate_table",
            "lines",
            "vat_exemption_basis",
            "payments",
            "compensations",
            "duplicates",
        ]
        extra_kwargs = {
            "exchange_rate": {
                "help_text": "A foreign-currency invoice's rate for its VAT in PLN: PLN for 1 unit of its "
                "currency (the NBP average rate); null when none is kept (a PLN invoice)."
            },
            "exchange_rate_date": {
                "help_text": "The date of the NBP table the rate is from (the last working day before the tax "
                "point); null when the invoice does not state it."
            },
            "exchange_rate_table": {
                "help_text": 'The number of that NBP table, e.g. "231/A/NBP/2026"; empty when not stated.'
            },
        }


# The columns InvoiceListSerializer reads: a list page loads only these, not every column of the invoice
# and its contract. Status and remaining amount derive from gross, paid and due date; the contract's
# number comes with the contract's join.
_DERIVED_LIST_FIELDS = {"remaining_amount", "status", "contract_number"}
INVOICE_LIST_COLUMNS = (
    *(name for name in InvoiceListSerializer.Meta.fields if name not in _DERIVED_LIST_FIELDS),
    "contract__number",
)


class InvoiceListApi(generics.ListAPIView):
    """Invoices issued within the last year, newest first (older ones are in the archive)."""

    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.INVOICES
    serializer_class = InvoiceListSerializer
    filterset_class = InvoiceFilter
    archive = False

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invoice.objects.none()
        invoices = list_invoices_for_client(client=self.request.active_client, archive=self.archive)
        return invoices.only(*INVOICE_LIST_COLUMNS)


class InvoiceArchiveListApi(InvoiceListApi):
    """Invoices issued one year ago or earlier (issue date on or before the same day last year)."""

    archive = True


class InvoiceDetailApi(APIView):
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.INVOICES

    @extend_schema(
        responses=InvoiceDetailSerializer,
        description=(
            "One invoice with its lines, payments and amount left to pay (archived ones too). Client users whose"
            " role covers invoices; another company's or a contract the user may not see: 404 `not_found`."
        ),
    )
    def get(self, request, invoice_id: int):
        invoice = get_invoice_detail_for_client(client=request.active_client, invoice_id=invoice_id)
        return Response(InvoiceDetailSerializer(invoice).data)


class InvoicePdfApi(FileDownloadApi):
    """The invoice image as a PDF."""

    file_media_types = ("application/pdf",)
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.INVOICES
    throttle_scopes = {"GET": "exports"}  # the first download of each version is rendered (throttling.py)

    @extend_schema(responses=PDF_RESPONSE, parameters=[IF_NONE_MATCH])
    def get(self, request, invoice_id: int):
        invoice = get_invoice_detail_for_client(client=request.active_client, invoice_id=invoice_id)
        return pdf_response(
            request, invoice_pdf(invoice_document_for(invoice)), filename=invoice_pdf_filename(invoice)
        )


class InvoiceKsefXmlApi(FileDownloadApi):
    """The invoice as structured FA(3) XML (the KSeF logical structure), generated from the invoice data."""

    file_media_types = ("application/xml",)
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.INVOICES

    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("Invoice in the FA(3) structure")
            )
        }
    )
    def get(self, request, invoice_id: int):
        invoice = get_invoice_detail_for_client(client=request.active_client, invoice_id=invoice_id)
        return attachment_response(
            build_fa3_xml(invoice), filename=fa3_filename(invoice), content_type="application/xml"
        )


class InvoiceDuplicateApi(FileDownloadApi):
    """List the invoice's duplicates, or generate a new one ("Generuj dokument")."""

    file_media_types = ("application/pdf",)  # POST; GET is its JSON list
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.INVOICES
    throttle_scopes = {"POST": "duplicates"}  # each one is recorded for good and rendered

    @extend_schema(responses=DuplicateSerializer(many=True))
    def get(self, request, invoice_id: int):
        invoice = get_invoice_for_client(client=request.active_client, invoice_id=invoice_id)
        duplicates = numbered_duplicates(invoice.duplicates.all())
        return Response(DuplicateSerializer(duplicates, many=True).data)

    @extend_schema(
        request=None,
        responses={
            (201, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=_("Duplicate PDF marked DUPLIKAT; the X-Duplicate-Id header names the record."),
            )
        },
    )
    def post(self, request, invoice_id: int):
        invoice = get_invoice_detail_for_client(client=request.active_client, invoice_id=invoice_id)
        duplicate = create_duplicate(invoice=invoice, user=request.user)
        response = pdf_response(
            request,
            invoice_pdf(invoice_document_for(invoice, duplicate=duplicate)),
            filename=invoice_pdf_filename(invoice, duplicate=duplicate),
            status=201,
        )
        response["X-Duplicate-Id"] = str(duplicate.pk)
        return response


class InvoiceDuplicatePdfApi(FileDownloadApi):
    """Download an earlier duplicate again (same issue date as when it was generated)."""

    file_media_types = ("application/pdf",)
    permission_classes = [IsClientUser, HasClientArea]
    client_area = Area.INVOICES
    throttle_scopes = {"GET": "exports"}

    @extend_schema(responses=PDF_RESPONSE, parameters=[IF_NONE_MATCH])
    def get(self, request, invoice_id: int, duplicate_id: int):
        duplicate = get_duplicate_for_client(
            client=request.active_client, invoice_id=invoice_id, duplicate_id=duplicate_id
        )
        invoice = duplicate.invoice
        source = invoice_pdf(invoice_document_for(invoice, duplicate=duplicate))
        return pdf_response(request, source, filename=invoice_pdf_filename(invoice, duplicate=duplicate))
