from django.urls import path

from backend.invoices import accounting_apis, apis, settlement_apis

urlpatterns = [
    path("invoices/", apis.InvoiceListApi.as_view(), name="invoice-list"),
    path("invoices/archive/", apis.InvoiceArchiveListApi.as_view(), name="invoice-archive"),
    path(
        "invoices/accounting-zip/",
        accounting_apis.InvoiceAccountingZipApi.as_view(),
        name="invoice-accounting-zip",
    ),
    path(
        "invoices/accounting-exports/<id:export_id>/",
        accounting_apis.AccountingExportApi.as_view(),
        name="invoice-accounting-export",
    ),
    path(
        "invoices/accounting-exports/<id:export_id>/file/",
        accounting_apis.AccountingExportFileApi.as_view(),
        name="invoice-accounting-export-file",
    ),
    path("invoices/<id:invoice_id>/", apis.InvoiceDetailApi.as_view(), name="invoice-detail"),
    path("invoices/<id:invoice_id>/pdf/", apis.InvoicePdfApi.as_view(), name="invoice-pdf"),
    path("invoices/<id:invoice_id>/ksef.xml", apis.InvoiceKsefXmlApi.as_view(), name="invoice-ksef-xml"),
    path(
        "invoices/<id:invoice_id>/duplicates/", apis.InvoiceDuplicateApi.as_view(), name="invoice-duplicates"
    ),
    path(
        "invoices/<id:invoice_id>/duplicates/<id:duplicate_id>/pdf/",
        apis.InvoiceDuplicatePdfApi.as_view(),
        name="invoice-duplicate-pdf",
    ),
    path("settlements/", settlement_apis.SettlementSummaryApi.as_view(), name="settlement-summary"),
    path("settlements/due/", settlement_apis.SettlementDueApi.as_view(), name="settlement-due"),
    path("settlements/overdue/", settlement_apis.SettlementOverdueApi.as_view(), name="settlement-overdue"),
    path("settlements/paid/", settlement_apis.SettlementPaidApi.as_view(), name="settlement-paid"),
    path(
        "settlements/compensations/",
        settlement_apis.SettlementCompensationsApi.as_view(),
        name="settlement-compensations",
    ),
]
