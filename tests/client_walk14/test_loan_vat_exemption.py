"""A loan's invoice is VAT-exempt, and says so alike everywhere: the page and the PDF show "zw" with the
legal basis (never "0%"), as the KSeF FA(3) XML does; a lease invoice keeps its rate."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse
from lxml import etree

from backend.contracts.models import Contract
from backend.invoices.ksef import FA3_NAMESPACE
from backend.invoices.models import InvoiceLine
from tests.client_correctness.helpers import visible_text
from tests.factories import ContractFactory, InvoiceFactory
from tests.logged_in_clients import logged_in

pytestmark = pytest.mark.django_db
BASIS = "art. 43 ust. 1 pkt 38 ustawy o VAT"


@pytest.fixture
def loan_invoice(acme):
    loan = ContractFactory(client=acme, type=Contract.Type.LOAN, residual_percent=Decimal("0"))
    invoice = InvoiceFactory(
        client=acme,
        contract=loan,
        lines=False,
        net_total=Decimal("2500.00"),
        vat_total=Decimal("0.00"),
        gross_total=Decimal("2500.00"),
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        position=1,
        description="Rata pożyczki 3/36",
        unit_net=Decimal("2500.00"),
        vat_rate=Decimal("0.00"),
        net=Decimal("2500.00"),
        vat=Decimal("0.00"),
        gross=Decimal("2500.00"),
    )
    return invoice


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_loan_invoice_page_shows_zw_and_the_basis_not_zero_percent(client, client_user, loan_invoice):
    page = visible_text(
        logged_in(client, client_user).get(reverse("invoice-page", args=[loan_invoice.pk])).content.decode()
    )

    assert "0%" not in page
    assert " zw " in page
    assert f"Podstawa zwolnienia z VAT: {BASIS}" in page


def test_the_loan_invoice_pdf_shows_zw_in_the_line_and_the_summary_with_the_basis(
    api_as, client_user, loan_invoice
):
    response = api_as(client_user).get(f"/api/invoices/{loan_invoice.pk}/pdf/")

    text = pdf_text(response.content)
    assert "0%" not in text
    assert text.count("zw") >= 2  # the line and the VAT summary
    assert f"Podstawa zwolnienia z VAT: {BASIS}" in text


def test_page_pdf_api_and_ksef_xml_follow_one_rule(api_as, client_user, loan_invoice):
    api = api_as(client_user)
    detail = api.get(f"/api/invoices/{loan_invoice.pk}/").json()
    xml = etree.fromstring(api.get(f"/api/invoices/{loan_invoice.pk}/ksef.xml").content)

    assert detail["lines"][0]["vat_exempt"] is True
    assert detail["vat_exemption_basis"] == BASIS
    assert xml.findtext(".//fa:FaWiersz/fa:P_12", namespaces={"fa": FA3_NAMESPACE}) == "zw"
    assert xml.findtext(".//fa:P_19A", namespaces={"fa": FA3_NAMESPACE}) == BASIS


def test_a_lease_invoice_keeps_its_rate_and_names_no_exemption(
    client, api_as, client_user, acme, acme_contract
):
    invoice = InvoiceFactory(client=acme, contract=acme_contract)

    page = visible_text(
        logged_in(client, client_user).get(reverse("invoice-page", args=[invoice.pk])).content.decode()
    )
    detail = api_as(client_user).get(f"/api/invoices/{invoice.pk}/").json()

    assert "23%" in page and "zwolnienia" not in page
    assert detail["lines"][0]["vat_exempt"] is False and detail["vat_exemption_basis"] == ""
    assert "23%" in pdf_text(api_as(client_user).get(f"/api/invoices/{invoice.pk}/pdf/").content)


def test_an_english_page_says_exempt(client, client_user, loan_invoice):
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    page = visible_text(
        logged_in(client, client_user).get(reverse("invoice-page", args=[loan_invoice.pk])).content.decode()
    )

    assert "exempt" in page and "0%" not in page
    assert f"Basis of the VAT exemption: {BASIS}" in page
