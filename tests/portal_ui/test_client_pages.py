"""Client pages of the finance, documents and messages part, through Django's test client."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from backend.documents.models import Document
from backend.invoices.models import InvoiceDuplicate
from backend.invoices.services import record_compensation, record_payment
from backend.messaging.client_writes import start_thread
from backend.messaging.models import MessageThread
from backend.messaging.staff_writes import reply_as_staff, set_final_answer
from tests.factories import (
    ContractFactory,
    InsurancePolicyFactory,
    InvoiceFactory,
    LeasedItemFactory,
    SerialNumberFactory,
)

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def as_client(client, client_user):
    client.force_login(client_user)
    return client


def _document(
    client_company, *, title: str, kind=Document.Kind.BALANCE_CONFIRMATION, contract=None, day=None
):
    document = Document(
        client=client_company,
        contract=contract,
        kind=kind,
        title=title,
        original_name=f"{title}.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        issued_on=day or timezone.localdate(),
    )
    document.file.save(f"{title}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def _thread(client_user, company, *, subject="Pytanie o fakturę", contract=None):
    return start_thread(
        user=client_user,
        client=company,
        subject=subject,
        category=MessageThread.Category.INVOICES,
        body="Proszę o wyjaśnienie.",
        contract=contract,
    )


# --- every page answers the owner and hides other clients' objects --------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "invoices",
        "archive",
        "settlements",
        "contracts",
        "policies",
        "documents",
        "messages",
        "message-new",
        "client-data-page",
        "help",
    ],
)
def test_each_section_page_opens_for_a_client_in_polish(as_client, acme_contract, name):
    # when
    response = as_client.get(reverse(name))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="pl">' in body
    assert "<h1>" in body


def test_section_pages_need_a_login(client):
    response = client.get(reverse("invoices"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_section_pages_refuse_staff(client, bok_staff):
    client.force_login(bok_staff)
    assert client.get(reverse("documents")).status_code == 403


@pytest.mark.parametrize(
    "make_url",
    [
        lambda other: reverse("invoice-page", args=[InvoiceFactory(client=other.client).pk]),
        lambda other: reverse("contract-page", args=[other.pk]),
        lambda other: reverse("policy-page", args=[other.pk, InsurancePolicyFactory(contract=other).pk]),
        lambda other: reverse("policies") + f"?contract={other.pk}",
        lambda other: reverse("settlement-page", args=["due"]) + f"?contract={other.pk}",
        lambda other: reverse("schedule-download") + f"?contract={other.pk}&format=pdf",
    ],
)
def test_another_clients_object_is_not_found(as_client, other_contract, make_url):
    assert as_client.get(make_url(other_contract)).status_code == 404


def test_another_clients_thread_and_its_comment_are_not_found(as_client, other_client_user, other_company):
    thread = _thread(other_client_user, other_company)
    assert as_client.get(reverse("message-page", args=[thread.pk])).status_code == 404
    response = as_client.post(reverse("message-comment-page", args=[thread.pk]), {"body": "Hej"})
    assert response.status_code == 404
    assert thread.messages.count() == 1


def test_duplicate_of_another_clients_invoice_is_refused(as_client, other_company):
    invoice = InvoiceFactory(client=other_company)
    assert as_client.post(reverse("invoice-duplicate-new", args=[invoice.pk])).status_code == 404
    assert not InvoiceDuplicate.objects.exists()


# --- invoices and archive -------------------------------------------------------------------------


def test_invoice_list_shows_polish_formats_badges_and_only_own_invoices(as_client, acme, other_company):
    # given: issued within the last year (an older one is on the archive page, not in this list)
    issued = timezone.localdate() - timedelta(days=28)
    InvoiceFactory(
        client=acme,
        number="FV/2026/11/000123",
        issue_date=issued,
        due_date=issued + timedelta(days=14),
        gross_total=Decimal("12345.67"),
    )
    InvoiceFactory(client=other_company, number="FV/OBCA/1")
    # when
    body = as_client.get(reverse("invoices")).content.decode()
    # then
    assert "FV/2026/11/000123" in body and "FV/OBCA/1" not in body
    assert f"12{NBSP}345,67{NBSP}zł" in body
    assert f"{issued:%d.%m.%Y}" in body and f"{issued + timedelta(days=14):%d.%m.%Y}" in body
    assert 'scope="col"' in body and "<caption" in body
    assert "badge-" in body


def test_invoice_filters_narrow_the_list_and_keep_their_values(as_client, acme):
    # given
    contract = ContractFactory(client=acme, number="UL/FILTR/1")
    today = timezone.localdate()
    InvoiceFactory(client=acme, number="FV/A/1", contract=contract, currency="EUR")
    InvoiceFactory(client=acme, number="FV/B/2", issue_date=today - timedelta(days=60))
    InvoiceFactory(client=acme, number="FV/C/3", paid_amount=Decimal("1230.00"))
    # when
    body = as_client.get(
        reverse("invoices"), {"contract": contract.pk, "currency": "EUR", "number": "A/"}
    ).content.decode()
    # then
    assert "FV/A/1" in body and "FV/B/2" not in body and "FV/C/3" not in body
    assert 'name="number" value="A/"' in body
    assert f'<option value="{contract.pk}" selected>' in body
    assert '<option value="EUR" selected>' in body
    # and the status and date filters work too
    body = as_client.get(reverse("invoices"), {"status": "paid"}).content.decode()
    assert "FV/C/3" in body and "FV/A/1" not in body
    since = (today - timedelta(days=10)).isoformat()
    body = as_client.get(reverse("invoices"), {"issue_date_from": since}).content.decode()
    assert "FV/A/1" in body and "FV/B/2" not in body
    assert f'value="{since}"' in body


def test_a_bad_filter_date_is_reported_and_kept(as_client, acme):
    InvoiceFactory(client=acme, number="FV/D/1")
    response = as_client.get(reverse("invoices"), {"due_date_from": "31.02.2026x"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in body and "errorlist" in body
    assert 'value="31.02.2026x"' in body
    assert "FV/D/1" in body


def test_empty_filter_result_says_so(as_client, acme):
    InvoiceFactory(client=acme, number="FV/E/1")
    body = as_client.get(reverse("invoices"), {"number": "nic-takiego"}).content.decode()
    assert 'data-testid="empty"' in body and "Wyczyść filtry" in body


def test_invoice_list_paginates_and_keeps_filters_in_page_links(as_client, acme):
    for n in range(30):
        InvoiceFactory(client=acme, number=f"FV/P/{n:02d}", currency="PLN")
    body = as_client.get(reverse("invoices"), {"currency": "PLN"}).content.decode()
    assert "currency=PLN&amp;page=2" in body
    second = as_client.get(reverse("invoices"), {"currency": "PLN", "page": 2}).content.decode()
    assert second.count('href="/invoices/') >= 5
    assert "Wyświetlono 26–30 z 30" in second


def test_archive_holds_only_invoices_older_than_a_year(as_client, acme):
    today = timezone.localdate()
    InvoiceFactory(client=acme, number="FV/OLD/1", issue_date=today - timedelta(days=400))
    InvoiceFactory(client=acme, number="FV/NEW/1", issue_date=today - timedelta(days=10))
    archive = as_client.get(reverse("archive")).content.decode()
    current = as_client.get(reverse("invoices")).content.decode()
    assert "FV/OLD/1" in archive and "FV/NEW/1" not in archive
    assert "FV/NEW/1" in current and "FV/OLD/1" not in current
    old = as_client.get(
        reverse("invoice-page", args=[InvoiceFactory._meta.model.objects.get(number="FV/OLD/1").pk])
    )
    assert f'href="{reverse("archive")}">Archiwum</a> <span aria-hidden="true">›' in old.content.decode()


def test_invoice_details_show_lines_payments_compensations_and_remaining(as_client, acme):
    # given an invoice of 1 230,00 zł paid 200,00 and compensated 30,00
    invoice = InvoiceFactory(client=acme, number="FV/DET/1")
    record_payment(
        invoice=invoice, amount=Decimal("200.00"), paid_on=date(2026, 11, 5), reference="Przelew 1"
    )
    record_compensation(
        invoice=invoice, amount=Decimal("30.00"), compensated_on=date(2026, 11, 6), note_number="KOMP/1"
    )
    # when
    body = as_client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()
    # then
    assert "Rata leasingowa" in body
    assert "Przelew 1" in body and "05.11.2026" in body
    assert "KOMP/<wbr>1" in body and "06.11.2026" in body  # a phone card breaks it only after a "/"
    assert f"1{NBSP}000,00{NBSP}zł" in body
    assert f'data-testid="invoice-remaining">1{NBSP}000,00{NBSP}zł' in body
    assert "Generuj dokument" in body
    assert reverse("invoice-pdf", args=[invoice.pk]) in body


def test_generate_document_records_a_duplicate_and_offers_its_download_once(as_client, acme, client_user):
    # given
    invoice = InvoiceFactory(client=acme)
    # when
    response = as_client.post(reverse("invoice-duplicate-new", args=[invoice.pk]))
    # then a duplicate is recorded for the user and the page starts its download
    duplicate = InvoiceDuplicate.objects.get(invoice=invoice)
    assert duplicate.requested_by == client_user
    assert response.status_code == 302
    page = as_client.get(response["Location"]).content.decode()
    download_url = reverse("invoice-duplicate-pdf", args=[invoice.pk, duplicate.pk])
    assert "data-autodownload" in page and download_url in page
    # and a reload lists the duplicate without downloading it again
    again = as_client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()
    assert "data-autodownload" not in again and download_url in again
    pdf = as_client.get(download_url)
    assert pdf["Content-Type"] == "application/pdf"


def test_generate_document_needs_post(as_client, acme):
    invoice = InvoiceFactory(client=acme)
    # A GET orders nothing: back to the invoice's page (portal_ui/post_only_pages.py), not a bare 405.
    response = as_client.get(reverse("invoice-duplicate-new", args=[invoice.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("invoice-page", args=[invoice.pk]))


# --- settlements ----------------------------------------------------------------------------------


def test_settlements_show_figures_that_link_to_their_rows(as_client, acme):
    # given an overdue invoice of a contract, a partly paid one and a compensation
    contract = ContractFactory(client=acme, number="UL/ROZ/1")
    today = timezone.localdate()
    overdue = InvoiceFactory(
        client=acme,
        contract=contract,
        number="FV/ROZ/1",
        issue_date=today - timedelta(days=40),
        due_date=today - timedelta(days=10),
    )
    paid = InvoiceFactory(client=acme, contract=contract, number="FV/ROZ/2")
    record_payment(invoice=paid, amount=Decimal("1000.00"), paid_on=today, reference="Wpłata X")
    record_compensation(invoice=overdue, amount=Decimal("30.00"), compensated_on=today, note_number="KOMP/9")
    # when
    body = as_client.get(reverse("settlements")).content.decode()
    # then due = 1 200,00 + 230,00, overdue = 1 200,00, paid 1 000,00, compensations 30,00
    assert f"1{NBSP}430,00{NBSP}zł" in body
    assert f"1{NBSP}200,00{NBSP}zł" in body
    assert f"1{NBSP}000,00{NBSP}zł" in body and f"30,00{NBSP}zł" in body
    assert f"{reverse('settlement-page', args=['overdue'])}?contract={contract.pk}" in body
    # and each figure's rows
    rows = as_client.get(reverse("settlement-page", args=["overdue"])).content.decode()
    # a phone card breaks a number only after a "/" (<wbr>)
    assert "FV/<wbr>ROZ/<wbr>1" in rows and "FV/<wbr>ROZ/<wbr>2" not in rows
    rows = as_client.get(
        reverse("settlement-page", args=["paid"]), {"contract": contract.pk}
    ).content.decode()
    assert "Wpłata X" in rows
    rows = as_client.get(reverse("settlement-page", args=["compensations"])).content.decode()
    assert "KOMP/9" in rows


def test_unknown_settlement_figure_is_not_found(as_client):
    assert as_client.get(reverse("settlement-page", args=["bonus"])).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_schedule_tiles_lead_to_the_chosen_download(as_client, acme_contract, fmt):
    response = as_client.get(reverse("schedule-download"), {"contract": acme_contract.pk, "format": fmt})
    assert response.status_code == 302
    assert response["Location"] == reverse(f"contract-schedule-{fmt}", args=[acme_contract.pk])


def test_schedule_download_without_a_choice_explains(as_client, acme_contract):
    response = as_client.get(reverse("schedule-download"), {"format": "pdf"}, follow=True)
    assert "Wybierz umowę i format" in response.content.decode()


# --- contracts and policies -------------------------------------------------------------------------


def test_contract_list_and_details_with_schedule_items_and_policies(as_client, acme):
    # given
    contract = ContractFactory(client=acme, number="UL/DET/7", net_value=Decimal("120000.00"))
    item = LeasedItemFactory(contract=contract, name="Koparka CAT 320")
    SerialNumberFactory(item=item, kind="S/N", value="CAT0320XYZ")
    policy = InsurancePolicyFactory(contract=contract, insurer="Warta SA")
    # when
    listing = as_client.get(reverse("contracts")).content.decode()
    body = as_client.get(reverse("contract-page", args=[contract.pk])).content.decode()
    # then
    assert "UL/DET/7" in listing and "Koparka CAT 320" in listing and f"120{NBSP}000,00{NBSP}zł" in listing
    assert body.count("<tr") >= 36  # every installment of the 36-month schedule
    assert "CAT0320XYZ" in body and "<details>" in body
    assert "Warta SA" in body and reverse("policy-page", args=[contract.pk, policy.pk]) in body
    assert reverse("contract-schedule-pdf", args=[contract.pk]) in body
    assert reverse("contract-schedule-xlsx", args=[contract.pk]) in body
    assert "HARMONOGRAM" in body.upper()
    policy_page = as_client.get(reverse("policy-page", args=[contract.pk, policy.pk])).content.decode()
    assert policy.number in policy_page and f"3{NBSP}450,00{NBSP}zł" in policy_page


def test_contract_filter_keeps_value(as_client, acme):
    ContractFactory(client=acme, number="UL/AAA/1")
    ContractFactory(client=acme, number="UL/BBB/2")
    body = as_client.get(reverse("contracts"), {"number": "BBB"}).content.decode()
    assert "UL/BBB/2" in body and "UL/AAA/1" not in body
    assert 'value="BBB"' in body


def test_policies_page_shows_the_active_policy_of_the_chosen_contract(as_client, acme):
    first = ContractFactory(client=acme, number="UL/POL/1")
    second = ContractFactory(client=acme, number="UL/POL/2")
    InsurancePolicyFactory(contract=first, number="POL-ONE")
    InsurancePolicyFactory(contract=second, number="POL-TWO", scope="OC")
    body = as_client.get(reverse("policies"), {"contract": second.pk}).content.decode()
    assert "POL-TWO" in body and "POL-ONE" not in body
    assert f'<option value="{second.pk}" selected>' in body


def test_policies_page_without_an_active_policy_says_so(as_client, acme_contract):
    body = as_client.get(reverse("policies")).content.decode()
    assert 'data-testid="empty"' in body


# --- client data ------------------------------------------------------------------------------------


def test_client_data_is_read_only_with_a_change_link(as_client, acme):
    body = as_client.get(reverse("client-data-page")).content.decode()
    assert acme.name in body and acme.regon in body
    assert f"{acme.nip[:3]}-{acme.nip[3:6]}" in body
    assert "<input" not in body.split('<main id="main"')[1]
    assert reverse("client-data-change") in body


def test_change_data_opens_the_client_data_request(as_client, monkeypatch):
    monkeypatch.setattr("portal_ui.contract_views.optional_url", lambda name: "/requests/new/")
    response = as_client.get(reverse("client-data-change"))
    assert response.status_code == 302
    assert response["Location"] == "/requests/new/?kind=client_data_change"


def test_change_data_says_coming_soon_while_there_is_no_request_page(as_client, monkeypatch):
    monkeypatch.setattr("portal_ui.contract_views.optional_url", lambda name: "")
    change = as_client.get(reverse("client-data-change")).content.decode()
    assert 'data-testid="coming-soon"' in change


# --- documents ------------------------------------------------------------------------------------


def test_documents_filter_by_kind_contract_and_date(as_client, acme, other_company):
    contract = ContractFactory(client=acme)
    _document(acme, title="Potwierdzenie salda 2026", contract=contract, day=date(2026, 10, 1))
    _document(acme, title="Nota kompensacyjna 7", kind=Document.Kind.COMPENSATION_NOTE, day=date(2026, 6, 1))
    _document(other_company, title="Cudzy dokument")
    # when
    everything = as_client.get(reverse("documents")).content.decode()
    by_kind = as_client.get(reverse("documents"), {"kind": "compensation_note"}).content.decode()
    by_contract = as_client.get(reverse("documents"), {"contract": contract.pk}).content.decode()
    by_date = as_client.get(reverse("documents"), {"date_from": "2026-09-01"}).content.decode()
    # then
    assert "Potwierdzenie salda 2026" in everything and "Cudzy dokument" not in everything
    assert "01.10.2026" in everything
    assert "Nota kompensacyjna 7" in by_kind and "Potwierdzenie salda 2026" not in by_kind
    assert "Potwierdzenie salda 2026" in by_contract and "Nota kompensacyjna 7" not in by_contract
    assert "Potwierdzenie salda 2026" in by_date and "Nota kompensacyjna 7" not in by_date
    assert '<option value="compensation_note" selected>' in by_kind


# --- messages -------------------------------------------------------------------------------------


def test_new_message_errors_keep_typed_values(as_client, acme_contract):
    # when the client sends only a subject and a text
    response = as_client.post(
        reverse("message-new"), {"subject": "Zmiana adresu", "body": "Treść mojej wiadomości"}
    )
    # then the page comes back with errors next to the missing fields and the typed values kept
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_category-error"' in body and 'id="id_contract_id-error"' in body
    assert 'value="Zmiana adresu"' in body and "Treść mojej wiadomości</textarea>" in body
    assert "data-error-summary" in body
    assert not MessageThread.objects.exists()


def test_new_message_with_a_fake_pdf_is_refused_and_the_text_kept(as_client, acme_contract):
    fake = SimpleUploadedFile("umowa.pdf", b"MZ this is not a pdf", content_type="application/pdf")
    response = as_client.post(
        reverse("message-new"),
        {
            "subject": "Załącznik",
            "category": "contract",
            "contract_id": acme_contract.pk,
            "body": "W załączniku skan.",
            "attachments": fake,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_attachments-error"' in body and "umowa.pdf" in body
    assert "W załączniku skan.</textarea>" in body
    assert f'<option value="{acme_contract.pk}" selected>' in body
    assert not MessageThread.objects.exists()


def test_new_message_is_sent_with_its_attachment(as_client, acme, acme_contract):
    pdf = SimpleUploadedFile("skan.pdf", PDF, content_type="application/pdf")
    response = as_client.post(
        reverse("message-new"),
        {
            "subject": "Pytanie o ratę",
            "category": "schedule",
            "contract_id": acme_contract.pk,
            "body": "Kiedy termin?",
            "attachments": pdf,
        },
    )
    thread = MessageThread.objects.get(client=acme)
    assert response.status_code == 302 and response["Location"] == reverse("message-page", args=[thread.pk])
    page = as_client.get(response["Location"]).content.decode()
    assert "Kiedy termin?" in page and "skan.pdf" in page
    attachment = thread.messages.get().attachments.get()
    assert reverse("message-attachment", args=[attachment.pk]) in page
    listing = as_client.get(reverse("messages")).content.decode()
    assert "Pytanie o ratę" in listing


def test_thread_shows_the_final_answer_highlighted_and_takes_a_comment(
    as_client, client_user, acme, acme_contract, bok_staff
):
    # given a thread answered and closed by staff
    thread = _thread(client_user, acme, contract=acme_contract)
    reply_as_staff(user=bok_staff, thread=thread, body="Sprawdzamy.")
    set_final_answer(user=bok_staff, thread=thread, body="Rata została zaksięgowana.")
    # when
    body = as_client.get(reverse("message-page", args=[thread.pk])).content.decode()
    # then
    assert 'data-testid="final-answer"' in body and "Rata została zaksięgowana." in body
    assert "is-final" in body and "Sprawdzamy." in body
    assert "<dialog" in body and 'href="?comment=1#comment-dialog"' in body
    # and without JS the comment form shows open
    opened = as_client.get(reverse("message-page", args=[thread.pk]), {"comment": "1"}).content.decode()
    assert 'aria-labelledby="comment-title" open' in opened
    # when the client comments
    response = as_client.post(reverse("message-comment-page", args=[thread.pk]), {"body": "Dziękuję!"})
    # then the thread reopens with the comment
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == MessageThread.Status.OPEN
    assert thread.messages.last().body == "Dziękuję!"


def test_an_empty_comment_reopens_the_dialog_with_an_error(as_client, client_user, acme):
    thread = _thread(client_user, acme)
    response = as_client.post(reverse("message-comment-page", args=[thread.pk]), {"body": "  "})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'aria-labelledby="comment-title" open' in body and 'id="id_body-error"' in body
    assert thread.messages.count() == 1


def test_message_list_filters_by_status(as_client, client_user, acme, bok_staff):
    answered = _thread(client_user, acme, subject="Odpowiedziany")
    _thread(client_user, acme, subject="Czekający")
    reply_as_staff(user=bok_staff, thread=answered, body="OK")
    body = as_client.get(reverse("messages"), {"status": "answered"}).content.decode()
    assert "Odpowiedziany" in body and "Czekający" not in body


# --- English ----------------------------------------------------------------------------------------


def test_pages_switch_to_english(as_client, client_user, acme):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    InvoiceFactory(client=acme, gross_total=Decimal("4567.89"))
    as_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = as_client.get(reverse("invoices")).content.decode()
    assert '<html lang="en">' in body
    assert "Generate document" not in body  # list page
    assert f"4,567.89{NBSP}PLN" in body and "Invoice number" in body


# --- query counts do not grow with the rows -----------------------------------------------------------


@pytest.mark.parametrize("name", ["invoices", "contracts", "documents", "messages", "settlements"])
def test_list_pages_query_count_does_not_grow_with_rows(as_client, client_user, acme, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_rows(count: int) -> None:
        for _ in range(count):
            contract = ContractFactory(client=acme, schedule=False)
            InvoiceFactory(client=acme, contract=contract)
            _document(acme, title=f"Dok {contract.number}", contract=contract)
            _thread(client_user, acme, contract=contract)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_client.get(reverse(name)).status_code == 200
        return len(captured)

    # given a few rows, then many more (a first visit slides the session: it is not the page's cost)
    add_rows(2)
    queries()
    few = queries()
    add_rows(8)
    # then the page needs no more queries
    assert queries() == few
