"""KSeF XML download, the monthly ZIP "dla księgowości" and the KSeF parts of the invoice pages."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from rest_framework.test import APIClient

from backend.invoices.ksef import FA3_NAMESPACE, assign_demo_ksef_number, validate_fa3
from backend.invoices.models import InvoiceLine
from tests.factories import InvoiceFactory
from tests.ksef.test_fa3_xml import multi_rate_invoice
from tests.volume16.zip_helpers import fetch_accounting_zip

pytestmark = pytest.mark.django_db

ZIP = "/api/invoices/accounting-zip/"


@pytest.fixture
def api(api_as, client_user):
    return api_as(client_user)


def xml_url(invoice) -> str:
    return f"/api/invoices/{invoice.pk}/ksef.xml"


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


# --- XML download ---------------------------------------------------------------------------------


def test_client_downloads_valid_fa3_xml_as_an_attachment(api, acme):
    # given
    invoice = InvoiceFactory(client=acme, number="FV/2026/05/0042")

    # when
    response = api.get(xml_url(invoice))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="faktura_FV_2026_05_0042_FA3.xml"'
    assert validate_fa3(response.content) == []
    root = etree.fromstring(response.content)
    assert root.findtext(f"{{{FA3_NAMESPACE}}}Fa/{{{FA3_NAMESPACE}}}P_2") == "FV/2026/05/0042"


def test_another_clients_invoice_xml_is_not_found(api, other_company):
    # given
    foreign = InvoiceFactory(client=other_company)

    # when
    response = api.get(xml_url(foreign))

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_staff_and_anonymous_cannot_download_the_xml(api_as, bok_staff, acme):
    # given
    invoice = InvoiceFactory(client=acme)

    # then
    assert api_as(bok_staff).get(xml_url(invoice)).status_code == 403
    assert APIClient().get(xml_url(invoice)).status_code in (401, 403)


# --- monthly ZIP ----------------------------------------------------------------------------------


def test_monthly_zip_holds_pdf_and_valid_xml_of_each_invoice_of_the_month_and_a_csv(api, acme, other_company):
    # given: two invoices this month (one multi-rate), one last month, one of another client
    month = this_month()
    first = assign_demo_ksef_number(InvoiceFactory(client=acme, number="FV/M/1", issue_date=month))
    first.save()
    second = multi_rate_invoice(acme, number="FV/M/2", issue_date=month, currency="EUR")
    InvoiceFactory(client=acme, number="FV/OLD/1", issue_date=previous_month(month))
    InvoiceFactory(client=other_company, number="FV/FOREIGN/1", issue_date=month)

    # when
    response = fetch_accounting_zip(api, {"month": f"{month:%Y-%m}"})

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="faktury_{acme.nip}_{month:%Y-%m}.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(
        [
            "faktura_FV_M_1.pdf",
            "faktura_FV_M_1_FA3.xml",
            "faktura_FV_M_2.pdf",
            "faktura_FV_M_2_FA3.xml",
            f"zestawienie_{month:%Y-%m}.csv",
        ]
    )
    for name in archive.namelist():
        if name.endswith(".xml"):
            assert validate_fa3(archive.read(name)) == [], name
        if name.endswith(".pdf"):
            assert archive.read(name).startswith(b"%PDF")
    rows = list(
        csv.reader(
            io.StringIO(archive.read(f"zestawienie_{month:%Y-%m}.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Numer faktury", "Numer KSeF"]
    by_number = {row[0]: row for row in body}
    assert by_number["FV/M/1"][1] == first.ksef_number
    assert by_number["FV/M/2"][1] == ""

    def amount(text: str) -> Decimal:
        return Decimal(text.replace(",", "."))

    assert amount(by_number["FV/M/2"][8]) == second.gross_total
    assert amount(by_number["Razem"][8]) == first.gross_total  # the PLN total: only the first invoice
    totals = {row[5]: row for row in body if row[0] == "Razem"}
    assert set(totals) == {"PLN", "EUR"}
    assert amount(totals["EUR"][6]) == second.net_total
    assert amount(totals["EUR"][7]) == second.vat_total
    assert amount(totals["EUR"][8]) == second.gross_total


def test_monthly_zip_of_a_month_without_invoices_is_a_400_not_an_empty_package(api, acme):
    # given
    month = previous_month(this_month())

    # when
    response = api.post(ZIP, {"month": f"{month:%Y-%m}"})

    # then
    assert response.status_code == 400
    assert response.json()["fields"]["month"] == ["Nie ma faktur z tego miesiąca."]


def test_the_worker_writes_the_package_to_disk_and_it_is_complete(api, acme, settings, monkeypatch):
    # given: the worker's temporary file watched (memory stays bounded however large the month)
    import backend.invoices.accounting_exports as accounting_exports

    spooled = []
    real = accounting_exports.tempfile.TemporaryFile

    def spy(*args, **kwargs):
        spooled.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(accounting_exports.tempfile, "TemporaryFile", spy)
    month = this_month()
    for number in range(3):
        InvoiceFactory(client=acme, number=f"FV/S/{number}", issue_date=month)

    # when
    response = fetch_accounting_zip(api, {"month": f"{month:%Y-%m}"})

    # then
    assert len(spooled) == 1
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len([name for name in archive.namelist() if name.endswith(".xml")]) == 3


@pytest.mark.parametrize(
    "month",
    [
        None,
        "",
        "2026",
        "2026-13",
        "2026-00",
        "26-01",
        "2026-1",
        "x" * 500,
        "1999-12",
        "0000-01",
        "2026-01\n",
        "２０２６-01",
    ],
)
def test_bad_month_is_a_400_in_the_error_shape(api, acme, month):
    # when
    response = api.post(ZIP, {} if month is None else {"month": month})

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "month" in body["fields"]


def test_future_month_is_a_400(api, acme):
    # given
    next_month = (this_month() + timedelta(days=32)).replace(day=1)

    # when
    response = api.post(ZIP, {"month": f"{next_month:%Y-%m}"})

    # then
    assert response.status_code == 400
    assert response.json()["fields"]["month"]


def test_staff_cannot_download_a_clients_monthly_zip(api_as, bok_staff):
    assert api_as(bok_staff).post(ZIP, {"month": f"{this_month():%Y-%m}"}).status_code == 403


def test_invoice_api_shows_the_ksef_number(api, acme):
    # given
    sent = assign_demo_ksef_number(InvoiceFactory(client=acme))
    sent.save()
    unsent = InvoiceFactory(client=acme)

    # when
    listed = {row["id"]: row["ksef_number"] for row in api.get("/api/invoices/").json()["results"]}
    detail = api.get(f"/api/invoices/{sent.pk}/").json()

    # then
    assert listed == {sent.pk: sent.ksef_number, unsent.pk: ""}
    assert detail["ksef_number"] == sent.ksef_number


# --- pages ----------------------------------------------------------------------------------------


def test_invoice_page_shows_the_ksef_number_and_the_xml_link(client, client_user, acme):
    # given
    invoice = assign_demo_ksef_number(InvoiceFactory(client=acme))
    invoice.save()
    client.force_login(client_user)

    # when
    html = client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    # then
    assert invoice.ksef_number in html
    assert f'href="{xml_url(invoice)}"' in html
    assert "XML KSeF" in html


def test_invoice_page_says_when_the_invoice_was_not_sent_to_ksef(client, client_user, acme):
    # given
    invoice = InvoiceFactory(client=acme)
    client.force_login(client_user)

    # when
    html = client.get(reverse("invoice-page", args=[invoice.pk])).content.decode()

    # then
    assert "nie wysłano do KSeF" in html


def test_invoice_list_links_each_xml_and_offers_the_monthly_zip(client, client_user, acme):
    # given
    invoice = InvoiceFactory(client=acme)
    client.force_login(client_user)

    # when
    html = client.get(reverse("invoices")).content.decode()

    # then
    assert f'href="{xml_url(invoice)}"' in html
    assert 'action="/invoices/accounting-zip/"' in html  # the page's route (refusals come back to it)
    assert f'max="{timezone.localdate():%Y-%m}"' in html
    assert "Dla księgowości" in html


def test_invoice_with_a_vat_rate_fa3_cannot_express_is_a_409_not_a_500(api, acme):
    # given: a 4% line (taxi flat rate: not an invoice this lessor issues, so not mapped)
    invoice = InvoiceFactory(client=acme, lines=False)
    InvoiceLine.objects.create(
        invoice=invoice,
        position=1,
        description="x",
        unit_net=Decimal("100.00"),
        vat_rate=Decimal("0.04"),
        net=Decimal("100.00"),
        vat=Decimal("4.00"),
        gross=Decimal("104.00"),
    )

    # when
    response = api.get(xml_url(invoice))

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "ksef_unsupported_vat_rate"
    assert "stawek VAT" in response.json()["message"]
