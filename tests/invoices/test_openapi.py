"""Finance, document and message APIs are in the OpenAPI schema and generate it without warnings."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, suppress

import yaml
from django.core.management import call_command

OUR_CODE = (
    "backend/invoices",
    "backend/contracts",
    "backend/documents",
    "backend/messaging",
    "backend/clients",
)


def test_schema_has_our_endpoints_and_no_warnings_from_our_code(tmp_path):
    # when
    stderr = io.StringIO()
    with redirect_stderr(stderr), suppress(SystemExit):
        call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))

    # then
    ours = [line for line in stderr.getvalue().splitlines() if any(part in line for part in OUR_CODE)]
    assert ours == []
    assert "enum naming encountered" not in stderr.getvalue()
    paths = yaml.safe_load((tmp_path / "schema.yml").read_text())["paths"]
    for path in (
        "/api/invoices/",
        "/api/invoices/archive/",
        "/api/invoices/{invoice_id}/",
        "/api/invoices/{invoice_id}/pdf/",
        "/api/invoices/{invoice_id}/duplicates/",
        "/api/invoices/{invoice_id}/duplicates/{duplicate_id}/pdf/",
        "/api/settlements/",
        "/api/settlements/due/",
        "/api/settlements/overdue/",
        "/api/settlements/paid/",
        "/api/settlements/compensations/",
        "/api/contracts/",
        "/api/contracts/{contract_id}/schedule/",
        "/api/contracts/{contract_id}/schedule/pdf/",
        "/api/contracts/{contract_id}/schedule/xlsx/",
        "/api/contracts/{contract_id}/schedule/csv/",
        "/api/contracts/{contract_id}/items/",
        "/api/contracts/{contract_id}/policies/active/",
        "/api/documents/",
        "/api/documents/{document_id}/download/",
        "/api/client/",
        "/api/messages/",
        "/api/messages/{thread_id}/comments/",
        "/api/messages/attachments/{attachment_id}/download/",
        "/api/staff/messages/",
        "/api/staff/messages/{thread_id}/reply/",
        "/api/staff/messages/{thread_id}/final-answer/",
    ):
        assert path in paths, path
    invoice_filters = {p["name"] for p in paths["/api/invoices/archive/"]["get"]["parameters"]}
    assert invoice_filters >= {
        "number",
        "issue_date_from",
        "issue_date_to",
        "due_date_from",
        "due_date_to",
        "status",
        "contract",
        "currency",
        "ordering",
        "page",
    }
    assert "application/pdf" in paths["/api/invoices/{invoice_id}/pdf/"]["get"]["responses"]["200"]["content"]
    assert "multipart/form-data" in paths["/api/messages/"]["post"]["requestBody"]["content"]
