import io
from datetime import date, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone

from backend.invoices.models import InvoiceDuplicate, derive_invoice_status
from backend.invoices.selectors import archive_cutoff
from backend.invoices.services import record_compensation, record_payment
from tests.factories import ContractFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db

LIST = "/api/invoices/"
ARCHIVE = "/api/invoices/archive/"


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


# --- list, filters, sorting ------------------------------------------------------------------------


def test_list_shows_only_own_invoices_newest_first(api, acme, other_company, today):
    # given
    InvoiceFactory(client=acme, number="FV/A/1", issue_date=today - timedelta(days=10))
    InvoiceFactory(client=acme, number="FV/A/2", issue_date=today - timedelta(days=1))
    InvoiceFactory(client=other_company, number="FV/B/1")

    # when
    response = api.get(LIST)

    # then
    assert numbers(response) == ["FV/A/2", "FV/A/1"]
    assert response.json()["count"] == 2


def test_filter_by_number_contains(api, acme):
    InvoiceFactory(client=acme, number="FV/2026/0001")
    InvoiceFactory(client=acme, number="FV/2026/0002")
    assert numbers(api.get(LIST, {"number": "0002"})) == ["FV/2026/0002"]


def test_filter_by_issue_date_range(api, acme, today):
    for days in (30, 20, 10):
        InvoiceFactory(client=acme, number=f"FV/{days}", issue_date=today - timedelta(days=days))
    response = api.get(
        LIST, {"issue_date_from": today - timedelta(days=25), "issue_date_to": today - timedelta(days=10)}
    )
    assert numbers(response) == ["FV/10", "FV/20"]


def test_filter_by_due_date_range(api, acme, today):
    for days in (5, 15, 25):
        InvoiceFactory(client=acme, number=f"FV/{days}", due_date=today + timedelta(days=days))
    response = api.get(
        LIST, {"due_date_from": today + timedelta(days=10), "due_date_to": today + timedelta(days=20)}
    )
    assert numbers(response) == ["FV/15"]


def test_filter_by_contract_and_currency(api, acme):
    contract = ContractFactory(client=acme)
    InvoiceFactory(client=acme, number="FV/C", contract=contract)
    InvoiceFactory(client=acme, number="FV/EUR", currency="EUR")
    InvoiceFactory(client=acme, number="FV/PLN")
    assert numbers(api.get(LIST, {"contract": contract.pk})) == ["FV/C"]
    assert numbers(api.get(LIST, {"currency": "EUR"})) == ["FV/EUR"]


def test_bad_filter_value_gives_field_error(api):
    response = api.get(LIST, {"status": "lost", "issue_date_from": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status", "issue_date_from"}


def test_sorting_by_gross_total(api, acme):
    InvoiceFactory(client=acme, number="FV/BIG", gross_total=Decimal("900"))
    InvoiceFactory(client=acme, number="FV/SMALL", gross_total=Decimal("100"))
    assert numbers(api.get(LIST, {"ordering": "gross_total"})) == ["FV/SMALL", "FV/BIG"]
    assert numbers(api.get(LIST, {"ordering": "-gross_total"})) == ["FV/BIG", "FV/SMALL"]


def test_pagination(api, acme):
    for n in range(3):
        InvoiceFactory(client=acme, number=f"FV/{n}")
    response = api.get(LIST, {"page_size": 2, "page": 2})
    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 1


# --- statuses: the derivation and the filter agree ---------------------------------------------------


@pytest.fixture
def one_of_each_status(acme, today):
    gross = Decimal("1230.00")
    return {
        "paid": InvoiceFactory(client=acme, number="PAID", gross_total=gross, paid_amount=gross),
        "overpaid": InvoiceFactory(
            client=acme,
            number="OVERPAID",
            gross_total=gross,
            paid_amount=gross + 1,
            due_date=today - timedelta(days=1),
        ),
        "paid_late": InvoiceFactory(
            client=acme,
            number="PAID-LATE",
            gross_total=gross,
            paid_amount=gross,
            due_date=today - timedelta(days=3),
        ),
        "unpaid": InvoiceFactory(client=acme, number="UNPAID", gross_total=gross, due_date=today),
        "overdue": InvoiceFactory(
            client=acme, number="OVERDUE", gross_total=gross, due_date=today - timedelta(days=1)
        ),
        "overdue_partly": InvoiceFactory(
            client=acme,
            number="OVERDUE-PART",
            gross_total=gross,
            paid_amount=Decimal("100"),
            due_date=today - timedelta(days=1),
        ),
        "partly": InvoiceFactory(
            client=acme, number="PARTLY", gross_total=gross, paid_amount=Decimal("0.01"), due_date=today
        ),
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("paid", {"PAID", "PAID-LATE", "OVERPAID"}),
        ("unpaid", {"UNPAID"}),
        ("overdue", {"OVERDUE", "OVERDUE-PART"}),
        ("partly_paid", {"PARTLY"}),
    ],
)
def test_status_filter(api, one_of_each_status, status, expected):
    # when
    response = api.get(LIST, {"status": status})

    # then
    assert set(numbers(response)) == expected
    assert {row["status"] for row in response.json()["results"]} == {status}


def test_status_filter_matches_derivation_for_every_invoice(api, one_of_each_status, today):
    # given
    derived = {
        invoice.number: derive_invoice_status(
            gross=invoice.gross_total, paid_amount=invoice.paid_amount, due_date=invoice.due_date, today=today
        )
        for invoice in one_of_each_status.values()
    }

    # when
    by_filter = {}
    for status in ("paid", "unpaid", "overdue", "partly_paid"):
        for number in numbers(api.get(LIST, {"status": status})):
            by_filter[number] = status

    # then
    assert by_filter == derived


# --- archive ------------------------------------------------------------------------------------------


def test_invoice_issued_exactly_one_year_ago_is_archived(api, acme, today):
    # given
    cutoff = archive_cutoff(today)
    InvoiceFactory(client=acme, number="ONE-YEAR", issue_date=cutoff)
    InvoiceFactory(client=acme, number="ONE-YEAR-MINUS-DAY", issue_date=cutoff + timedelta(days=1))
    InvoiceFactory(client=acme, number="OLDER", issue_date=cutoff - timedelta(days=1))

    # when
    current, archived = numbers(api.get(LIST)), numbers(api.get(ARCHIVE))

    # then
    assert current == ["ONE-YEAR-MINUS-DAY"]
    assert archived == ["ONE-YEAR", "OLDER"]


def test_archive_has_the_same_filters(api, acme, today):
    old = archive_cutoff(today) - timedelta(days=5)
    InvoiceFactory(client=acme, number="OLD/EUR", issue_date=old, currency="EUR")
    InvoiceFactory(client=acme, number="OLD/PLN", issue_date=old, paid_amount=Decimal("1230.00"))
    assert numbers(api.get(ARCHIVE, {"currency": "EUR"})) == ["OLD/EUR"]
    assert numbers(api.get(ARCHIVE, {"status": "paid"})) == ["OLD/PLN"]
    assert numbers(api.get(ARCHIVE, {"number": "EUR"})) == ["OLD/EUR"]


def test_archive_cutoff_on_leap_day():
    assert archive_cutoff(date(2028, 2, 29)) == date(2027, 2, 28)
    assert archive_cutoff(date(2027, 3, 1)) == date(2026, 3, 1)


# --- details ------------------------------------------------------------------------------------------


def test_detail_has_lines_payments_compensations_and_remaining(api, acme, client_user):
    # given
    invoice = InvoiceFactory(client=acme, gross_total=Decimal("1230.00"))
    record_payment(
        invoice=invoice, amount=Decimal("1000.00"), paid_on=date(2026, 1, 5), reference="Przelew 1"
    )
    record_compensation(
        invoice=invoice, amount=Decimal("30.00"), compensated_on=date(2026, 1, 6), note_number="KP/7"
    )
    InvoiceDuplicate.objects.create(invoice=invoice, requested_by=client_user)

    # when
    response = api.get(f"{LIST}{invoice.pk}/")

    # then
    body = response.json()
    assert response.status_code == 200
    assert body["paid_amount"] == "1030.00"
    assert body["remaining_amount"] == "200.00"
    assert [line["description"] for line in body["lines"]] == ["Rata leasingowa"]
    assert [p["amount"] for p in body["payments"]] == ["1000.00"]
    assert [c["note_number"] for c in body["compensations"]] == ["KP/7"]
    assert [d["requested_by"] for d in body["duplicates"]] == ["Anna Kowalska"]


@pytest.mark.parametrize("suffix", ["", "pdf/", "duplicates/"])
def test_another_clients_invoice_is_not_found(api, other_company, suffix):
    # given
    foreign = InvoiceFactory(client=other_company)

    # when
    response = api.get(f"{LIST}{foreign.pk}/{suffix}")

    # then
    assert response.status_code == 404


def test_duplicate_of_another_clients_invoice_cannot_be_generated(api, other_company):
    foreign = InvoiceFactory(client=other_company)
    assert api.post(f"{LIST}{foreign.pk}/duplicates/").status_code == 404
    assert not InvoiceDuplicate.objects.exists()


def test_staff_cannot_use_client_invoice_list(api_as, bok_staff):
    assert api_as(bok_staff).get(LIST).status_code == 403


def test_anonymous_cannot_list_invoices(client):
    assert client.get(LIST).status_code == 401


# --- PDF and duplicate --------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_invoice_pdf_shows_number_parties_and_amount_in_words(api, acme):
    # given
    invoice = InvoiceFactory(client=acme, number="FV/2026/03/0000042", issue_date=timezone.localdate())

    # when
    response = api.get(f"{LIST}{invoice.pk}/pdf/")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="faktura_FV_2026_03_0000042.pdf"'
    text = pdf_text(response.content)
    assert "FV/2026/03/0000042" in text
    assert f"{acme.nip[:3]}-{acme.nip[3:6]}-{acme.nip[6:8]}-{acme.nip[8:]}" in text
    assert "ACME Logistyka sp. z o.o." in text
    assert "tysiąc dwieście trzydzieści złotych zero groszy" in text
    assert "Sprzedawca" in text and "Nabywca" in text
    assert "DUPLIKAT" not in text
    fonts = pypdf.PdfReader(io.BytesIO(response.content)).pages[0]["/Resources"]["/Font"]
    descriptors = [
        descendant.get_object()["/FontDescriptor"]
        for font in fonts.values()
        for descendant in font.get_object()["/DescendantFonts"]
    ]
    # DejaVu is embedded (as a subset), not substituted by a reader's font without Polish letters
    assert descriptors
    assert all("DejaVu" in str(d["/FontName"]) and "/FontFile2" in d for d in descriptors)


def test_generate_duplicate_records_who_and_when_and_marks_pdf(api, acme, client_user):
    # given
    invoice = InvoiceFactory(client=acme, number="FV/2026/01/0000007", issue_date=date(2026, 1, 2))
    original = pdf_text(api.get(f"{LIST}{invoice.pk}/pdf/").content)

    # when
    response = api.post(f"{LIST}{invoice.pk}/duplicates/")

    # then
    assert response.status_code == 201
    duplicate = InvoiceDuplicate.objects.get(invoice=invoice)
    assert duplicate.requested_by == client_user
    assert response["X-Duplicate-Id"] == str(duplicate.pk)
    text = pdf_text(response.content)
    assert "DUPLIKAT" in text
    assert timezone.localdate(duplicate.issued_at).strftime("%d.%m.%Y") in text
    assert "02.01.2026" in text  # the original issue date stays
    # everything of the original is on the duplicate too
    assert all(line in text for line in original.splitlines() if "Strona" not in line)
    listed = api.get(f"{LIST}{invoice.pk}/duplicates/").json()
    assert [row["id"] for row in listed] == [duplicate.pk]


def test_earlier_duplicate_downloads_with_its_own_date(api, acme, client_user):
    # given
    invoice = InvoiceFactory(client=acme)
    duplicate = InvoiceDuplicate.objects.create(
        invoice=invoice, requested_by=client_user, issued_at=timezone.now() - timedelta(days=40)
    )

    # when
    response = api.get(f"{LIST}{invoice.pk}/duplicates/{duplicate.pk}/pdf/")

    # then
    assert response.status_code == 200
    assert timezone.localdate(duplicate.issued_at).strftime("%d.%m.%Y") in pdf_text(response.content)


# --- query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow_with_rows(api, acme, rows, django_assert_max_num_queries):
    # given
    contract = ContractFactory(client=acme)
    for _ in range(rows):
        invoice = InvoiceFactory(client=acme, contract=contract)
        PaymentFactory(invoice=invoice, amount=Decimal("1.00"))

    # when / then: session, user, active client, count, page, and the session save (3 with savepoints)
    with django_assert_max_num_queries(8):
        response = api.get(LIST, {"page_size": 50})
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_detail_query_count_does_not_grow_with_lines_and_payments(
    api, acme, client_user, rows, django_assert_max_num_queries
):
    # given
    invoice = InvoiceFactory(client=acme, gross_total=Decimal("100000.00"), lines=False)
    for n in range(rows):
        invoice.lines.create(position=n + 1, description=f"L{n}", unit_net=1, net=1, vat=0, gross=1)
        record_payment(invoice=invoice, amount=Decimal("1.00"), paid_on=date(2026, 1, 1))
        InvoiceDuplicate.objects.create(invoice=invoice, requested_by=client_user)

    # when / then: session, user, active client, invoice, four prefetches, the session save
    with django_assert_max_num_queries(12):
        body = api.get(f"{LIST}{invoice.pk}/").json()
    assert len(body["lines"]) == len(body["payments"]) == len(body["duplicates"]) == rows
