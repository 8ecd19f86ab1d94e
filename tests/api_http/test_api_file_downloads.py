"""Every file the API answers, fetched as an integrator (and the docs' "Try it out") fetches it: with an
Accept naming the file's type. It is served; a foreign id is still 404 and no session 401, in the error
shape; an Accept the file cannot meet is 406 in the error shape (backend/core/file_downloads.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from backend.core.table_files import XLSX_CONTENT_TYPE
from backend.messaging.models import MessageAttachment
from backend.requests_app.models import PortalRequest
from tests.api_http.conftest import assert_error_shape
from tests.effects_walk.helpers import approve, new_buyout_quote, submit
from tests.factories import InvoiceFactory
from tests.requests_app.helpers import upload
from tests.uploads_attack import corpus as c

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# name, method, the Accept of the file's type
CLIENT_FILES = [
    ("invoice_pdf", "get", PDF),
    ("new_duplicate", "post", PDF),
    ("duplicate_pdf", "get", PDF),
    ("ksef_xml", "get", "application/xml"),
    ("schedule_pdf", "get", PDF),
    ("schedule_xlsx", "get", XLSX_CONTENT_TYPE),
    ("schedule_csv", "get", "text/csv"),
    ("quote_pdf", "get", PDF),
    ("decision_document", "get", DOCX),
    ("document", "get", DOCX),
    ("request_attachment", "get", PDF),
    ("message_attachment", "get", PDF),
    ("accounting_zip", "get", "application/zip"),
]


@pytest.fixture
def urls(api_as, client_user, bok_staff, acme, acme_contract) -> dict[str, str]:
    api = api_as(client_user)
    invoice = InvoiceFactory(client=acme, contract=acme_contract)
    duplicate = api.post(f"/api/invoices/{invoice.pk}/duplicates/")
    assert duplicate.status_code == 201
    quote = new_buyout_quote(api, acme_contract)
    submitted = submit(api, "payment_date_change", acme_contract, {"payment_day": 20, "reason": "cash_flow"})
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]
    assert approve(api_as(bok_staff), request_id).status_code == 200
    document_id = PortalRequest.objects.get(pk=request_id).decision_document_id
    attachment = upload(api)
    assert attachment.status_code == 201, attachment.content
    thread = api.post(
        "/api/messages/",
        {
            "subject": "Faktura",
            "category": "other",
            "contract_id": acme_contract.pk,
            "body": "W załączniku.",
            "attachments": [SimpleUploadedFile("skan.pdf", c.PDF)],
        },
        format="multipart",
    )
    assert thread.status_code == 201, thread.content
    message_attachment = MessageAttachment.objects.get()
    started = api.post(
        "/api/invoices/accounting-zip/", {"month": f"{timezone.localdate():%Y-%m}"}, format="json"
    )
    assert started.status_code == 202, started.content
    contract = f"/api/contracts/{acme_contract.pk}"
    return {
        "invoice_pdf": f"/api/invoices/{invoice.pk}/pdf/",
        "new_duplicate": f"/api/invoices/{invoice.pk}/duplicates/",
        "duplicate_pdf": f"/api/invoices/{invoice.pk}/duplicates/{duplicate['X-Duplicate-Id']}/pdf/",
        "ksef_xml": f"/api/invoices/{invoice.pk}/ksef.xml",
        "schedule_pdf": f"{contract}/schedule/pdf/",
        "schedule_xlsx": f"{contract}/schedule/xlsx/",
        "schedule_csv": f"{contract}/schedule/csv/",
        "quote_pdf": f"{contract}/buyout-quotes/{quote['id']}/pdf/",
        "decision_document": f"/api/requests/{request_id}/decision-document/",
        "document": f"/api/documents/{document_id}/download/",
        "request_attachment": f"/api/requests/attachments/{attachment.json()['id']}/download/",
        "message_attachment": f"/api/messages/attachments/{message_attachment.pk}/download/",
        "staff_message_attachment": f"/api/staff/messages/attachments/{message_attachment.pk}/download/",
        "accounting_zip": started.json()["file_url"],
    }


@pytest.mark.parametrize(("name", "method", "accept"), CLIENT_FILES)
def test_a_file_answers_an_accept_naming_its_type(
    name, method, accept, urls, api_as, client_user, other_client_user
):
    url = urls[name]

    served = getattr(api_as(client_user), method)(url, HTTP_ACCEPT=accept)
    foreign = getattr(api_as(other_client_user), method)(url, HTTP_ACCEPT=accept)
    anonymous = getattr(APIClient(), method)(url, HTTP_ACCEPT=accept)
    unacceptable = getattr(api_as(client_user), method)(url, HTTP_ACCEPT="image/png")

    assert served.status_code in (200, 201), served.content
    assert served["Content-Type"].split(";")[0] == accept
    assert served["Content-Disposition"].startswith("attachment;")
    assert assert_error_shape(foreign, 404)["code"] == "not_found"
    assert assert_error_shape(anonymous, 401)["code"] == "not_authenticated"
    refused = assert_error_shape(unacceptable, 406)
    assert refused["code"] == "not_acceptable"
    assert accept in refused["message"]  # names what the address serves


def test_staff_get_a_message_attachment_with_its_type(urls, api_as, bok_staff):
    response = api_as(bok_staff).get(urls["staff_message_attachment"], HTTP_ACCEPT=PDF)

    assert response.status_code == 200
    assert response["Content-Type"] == PDF


@pytest.mark.parametrize("accept", ["*/*", "application/json", f"{PDF}, */*;q=0.1", "application/*"])
def test_wildcards_and_json_still_get_the_file(accept, urls, api_as, client_user):
    response = api_as(client_user).get(urls["invoice_pdf"], HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == PDF
