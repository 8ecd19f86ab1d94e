"""Invoice files and document downloads as a client meets them: the invoice PDF tells paid from
compensated and names its KSeF number, a generated document has one name wherever it is downloaded, and
the accounting ZIP's summary follows the language rule of the other CSV exports (no empty package)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from backend.documents.models import Document
from backend.invoices.models import InvoiceDuplicate
from backend.invoices.services import record_compensation, record_payment
from backend.requests_app.models import PortalRequest
from tests.client_correctness.helpers import visible_text
from tests.client_walk13.test_download_names import filename
from tests.effects_walk.helpers import approve, submit
from tests.factories import InvoiceFactory
from tests.logged_in_clients import logged_in
from tests.volume16.zip_helpers import fetch_accounting_zip

pytestmark = pytest.mark.django_db

KSEF_NUMBER = "7595724019-20261121-D27FEBA6C3FD-EC"
ZIP = "/api/invoices/accounting-zip/"


def pdf_text(content: bytes) -> str:
    # pypdf gives the PDF's thin spaces (thousands) back as they are: read them as plain spaces
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def english(client_user):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    return client_user


# --- 1. paid and compensated apart ------------------------------------------------------------------


def test_an_invoice_settled_by_compensation_is_not_printed_as_paid(api_as, client_user, acme):
    invoice = InvoiceFactory(client=acme, number="FV/2026/10/01000012013")
    record_compensation(
        invoice=invoice, amount=invoice.gross_total, compensated_on=date(2026, 10, 20), note_number="KP/1"
    )

    text = pdf_text(api_as(client_user).get(f"/api/invoices/{invoice.pk}/pdf/").content)

    assert "Zapłacono: 0,00 PLN" in text
    assert "Skompensowano: 1 230,00 PLN" in text
    assert "Pozostało do zapłaty: 0,00 PLN" in text
    assert "Zapłacona" not in text


def test_a_partly_paid_partly_compensated_invoice_shows_both_parts(api_as, client_user, acme):
    invoice = InvoiceFactory(client=acme)
    record_payment(invoice=invoice, amount=Decimal("200.00"), paid_on=date(2026, 10, 1))
    record_compensation(
        invoice=invoice, amount=Decimal("30.00"), compensated_on=date(2026, 10, 2), note_number="KP/2"
    )

    text = pdf_text(api_as(client_user).get(f"/api/invoices/{invoice.pk}/pdf/").content)

    assert "Zapłacono: 200,00 PLN · Skompensowano: 30,00 PLN · Pozostało do zapłaty: 1 000,00 PLN" in text


def test_an_invoice_without_compensation_prints_no_compensated_amount(api_as, client_user, acme):
    invoice = InvoiceFactory(client=acme)
    record_payment(invoice=invoice, amount=Decimal("230.00"), paid_on=date(2026, 10, 1))

    text = pdf_text(api_as(client_user).get(f"/api/invoices/{invoice.pk}/pdf/").content)

    assert "Zapłacono: 230,00 PLN · Pozostało do zapłaty: 1 000,00 PLN" in text
    assert "Skompensowano" not in text


# --- 2. the KSeF number on the visualisation --------------------------------------------------------


def test_the_invoice_pdf_and_its_duplicate_name_the_ksef_number(api_as, client_user, acme):
    invoice = InvoiceFactory(client=acme, ksef_number=KSEF_NUMBER)
    duplicate = InvoiceDuplicate.objects.create(invoice=invoice, requested_by=client_user)
    api = api_as(client_user)

    original = pdf_text(api.get(f"/api/invoices/{invoice.pk}/pdf/").content)
    copy = pdf_text(api.get(f"/api/invoices/{invoice.pk}/duplicates/{duplicate.pk}/pdf/").content)

    assert f"Numer KSeF: {KSEF_NUMBER}" in original
    assert f"Numer KSeF: {KSEF_NUMBER}" in copy and "DUPLIKAT" in copy


def test_an_invoice_not_sent_to_ksef_prints_no_ksef_line(api_as, client_user, acme):
    invoice = InvoiceFactory(client=acme, ksef_number="")

    assert "KSeF" not in pdf_text(api_as(client_user).get(f"/api/invoices/{invoice.pk}/pdf/").content)


# --- 3. one name for a generated document wherever it is downloaded --------------------------------


def test_a_decision_document_has_the_same_name_on_the_request_and_in_documents(
    api_as, client_user, bok_staff, acme_contract
):
    submitted = submit(
        api_as(client_user), "payment_date_change", acme_contract, {"payment_day": 20, "reason": "cash_flow"}
    )
    assert submitted.status_code == 201, submitted.json()
    request_id = submitted.json()["id"]
    assert approve(api_as(bok_staff), request_id).status_code == 200
    portal_request = PortalRequest.objects.get(pk=request_id)
    document_id = portal_request.decision_document_id
    number = portal_request.number.replace("/", "_")
    api = api_as(client_user)
    on_request = f"/api/requests/{request_id}/decision-document/"
    in_documents = f"/api/documents/{document_id}/download/"

    assert filename(api.get(on_request)) == filename(api.get(in_documents)) == f"aneks_{number}.docx"
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    assert filename(api.get(on_request)) == filename(api.get(in_documents)) == f"annex_{number}.docx"


def test_an_uploaded_document_keeps_its_name_in_english(api_as, english, acme, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    document = Document.objects.create(
        client=acme,
        kind=Document.Kind.BALANCE_CONFIRMATION,
        title="Potwierdzenie salda",
        file="paper.pdf",
        original_name="potwierdzenie salda.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
        issued_on=timezone.localdate(),
    )

    assert filename(api_as(english).get(f"/api/documents/{document.pk}/download/")) == (
        "potwierdzenie salda.pdf"
    )


# --- 4. the accounting ZIP's summary and an empty month ---------------------------------------------


def summary(response, month: date, name: str) -> str:
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive.read(f"{name}_{month:%Y-%m}.csv").decode("utf-8")


def test_the_english_summary_is_rfc_4180_with_english_headers(api_as, english, acme):
    month = timezone.localdate().replace(day=1)
    InvoiceFactory(client=acme, number="FV/E/1", issue_date=month, ksef_number=KSEF_NUMBER)

    text = summary(fetch_accounting_zip(api_as(english), {"month": f"{month:%Y-%m}"}), month, "summary")

    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        [
            "Invoice number",
            "KSeF number",
            "Issue date",
            "Sale date",
            "Payment due",
            "Currency",
            "Net",
            "VAT",
            "Gross",
            "Paid",
            "Remaining",
            "Status",
            "Contract",
        ],
        [
            "FV/E/1",
            KSEF_NUMBER,
            month.isoformat(),
            month.isoformat(),
            date.fromordinal(month.toordinal() + 14).isoformat(),
            "PLN",
            "1000.00",
            "230.00",
            "1230.00",
            "0.00",
            "1230.00",
            "Overdue" if date.fromordinal(month.toordinal() + 14) < timezone.localdate() else "Unpaid",
            "",
        ],
        ["Total", "", "", "", "", "PLN", "1000.00", "230.00", "1230.00", "0.00", "1230.00", "", ""],
    ]


def test_the_polish_summary_stays_polish_excels(api_as, client_user, acme):
    month = timezone.localdate().replace(day=1)
    InvoiceFactory(client=acme, number="FV/P/1", issue_date=month)

    text = summary(
        fetch_accounting_zip(api_as(client_user), {"month": f"{month:%Y-%m}"}), month, "zestawienie"
    )

    assert text.startswith("\ufeffNumer faktury;Numer KSeF;Data wystawienia;Data sprzedaży;Termin płatności;")
    assert f"FV/P/1;;{month:%d.%m.%Y};" in text
    assert "Razem;;;;;PLN;1000,00;230,00;1230,00;0,00;1230,00;;\r\n" in text


def test_a_month_without_invoices_is_refused_by_the_api_in_the_error_shape(api_as, client_user, acme):
    response = api_as(client_user).post(ZIP, {"month": "2020-01"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["month"] == ["Nie ma faktur z tego miesiąca."]


def test_a_month_without_invoices_goes_back_to_the_page_with_the_message(client, client_user, acme):
    logged_in(client, client_user)

    refused = client.post(reverse("accounting-zip"), {"month": "2020-01"})

    assert refused.status_code == 302
    assert refused["Location"] == reverse("invoices") + "#accounting-zip"
    body = client.get(refused["Location"]).content.decode()
    assert 'value="2020-01"' in body
    assert "Nie ma faktur z tego miesiąca." in visible_text(body)
