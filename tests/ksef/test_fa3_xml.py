"""FA(3) XML of invoices: valid against the official XSD, totals equal to the invoice's to the grosz."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from backend.contracts.models import Contract
from backend.core.lessor import get_lessor
from backend.invoices.ksef import (
    FA3_NAMESPACE,
    assign_demo_ksef_number,
    build_fa3_xml,
    is_valid_ksef_number,
    validate_fa3,
)
from backend.invoices.models import InvoiceLine
from tests.factories import ContractFactory, InvoiceFactory

pytestmark = pytest.mark.django_db
NS = {"fa": FA3_NAMESPACE}


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def text(root: etree._Element, path: str) -> str:
    return root.findtext(path, namespaces=NS)


def add_line(
    invoice, position: int, *, net: str, rate: str, quantity: str = "1.00", description: str = "Opłata"
):
    net_amount, vat_rate = Decimal(net), Decimal(rate)
    vat = (net_amount * vat_rate).quantize(Decimal("0.01"))
    return InvoiceLine.objects.create(
        invoice=invoice,
        position=position,
        description=description,
        quantity=Decimal(quantity),
        unit_net=(net_amount / Decimal(quantity)).quantize(Decimal("0.01")),
        vat_rate=vat_rate,
        net=net_amount,
        vat=vat,
        gross=net_amount + vat,
    )


def multi_rate_invoice(client, **kwargs):
    """Four lines at 23%, 23%, 8% and 5%, with totals set from the lines."""
    invoice = InvoiceFactory(client=client, lines=False, **kwargs)
    lines = [
        add_line(invoice, 1, net="1234.56", rate="0.23", description="Rata leasingowa nr 3/36"),
        add_line(
            invoice, 2, net="99.99", rate="0.23", quantity="3.00", description="Opłata za polisę & <GAP>"
        ),
        add_line(invoice, 3, net="200.01", rate="0.08", description="Usługa serwisowa"),
        add_line(invoice, 4, net="50.05", rate="0.05", description="Publikacja"),
    ]
    invoice.net_total = sum(line.net for line in lines)
    invoice.vat_total = sum(line.vat for line in lines)
    invoice.gross_total = sum(line.gross for line in lines)
    invoice.save()
    return invoice


def test_single_line_invoice_is_valid_fa3_with_seller_buyer_dates_and_payment(acme):
    # given
    invoice = InvoiceFactory(
        client=acme,
        number="FV/2026/03/0001",
        issue_date=date(2026, 3, 2),
        sale_date=date(2026, 2, 28),
        due_date=date(2026, 3, 16),
    )

    # when
    xml = build_fa3_xml(invoice)

    # then
    assert validate_fa3(xml) == []
    root = parse(xml)
    lessor = get_lessor()
    assert text(root, "fa:Podmiot1/fa:DaneIdentyfikacyjne/fa:NIP") == lessor.nip
    assert text(root, "fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP") == acme.nip
    assert text(root, "fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:Nazwa") == acme.name
    assert text(root, "fa:Podmiot2/fa:Adres/fa:AdresL1") == acme.registered_street
    assert text(root, "fa:Fa/fa:P_1") == "2026-03-02"
    assert text(root, "fa:Fa/fa:P_6") == "2026-02-28"
    assert text(root, "fa:Fa/fa:P_2") == "FV/2026/03/0001"
    assert text(root, "fa:Fa/fa:KodWaluty") == "PLN"
    assert text(root, "fa:Fa/fa:P_13_1") == "1000.00"
    assert text(root, "fa:Fa/fa:P_14_1") == "230.00"
    assert text(root, "fa:Fa/fa:P_15") == "1230.00"
    assert text(root, "fa:Fa/fa:Platnosc/fa:TerminPlatnosci/fa:Termin") == "2026-03-16"
    assert text(root, "fa:Fa/fa:Platnosc/fa:RachunekBankowy/fa:NrRB") == lessor.bank_account


def test_multi_line_multi_rate_invoice_is_valid_and_totals_match_to_the_grosz(acme):
    # given
    invoice = multi_rate_invoice(acme)

    # when
    xml = build_fa3_xml(invoice)

    # then
    assert validate_fa3(xml) == []
    root = parse(xml)
    fa = "fa:Fa/fa:"
    lines = list(invoice.lines.all())
    assert Decimal(text(root, fa + "P_13_1")) == lines[0].net + lines[1].net
    assert Decimal(text(root, fa + "P_14_1")) == lines[0].vat + lines[1].vat
    assert Decimal(text(root, fa + "P_13_2")) == lines[2].net
    assert Decimal(text(root, fa + "P_14_2")) == lines[2].vat
    assert Decimal(text(root, fa + "P_13_3")) == lines[3].net
    assert Decimal(text(root, fa + "P_14_3")) == lines[3].vat
    nets = sum(Decimal(text(root, fa + f)) for f in ("P_13_1", "P_13_2", "P_13_3"))
    vats = sum(Decimal(text(root, fa + f)) for f in ("P_14_1", "P_14_2", "P_14_3"))
    assert nets == invoice.net_total
    assert vats == invoice.vat_total
    assert Decimal(text(root, fa + "P_15")) == invoice.gross_total == nets + vats
    rows = root.findall("fa:Fa/fa:FaWiersz", NS)
    assert [row.findtext("fa:P_12", namespaces=NS) for row in rows] == ["23", "23", "8", "5"]
    assert [row.findtext("fa:P_11", namespaces=NS) for row in rows] == ["1234.56", "99.99", "200.01", "50.05"]
    assert rows[1].findtext("fa:P_7", namespaces=NS) == "Opłata za polisę & <GAP>"
    assert rows[1].findtext("fa:P_8B", namespaces=NS) == "3"


@pytest.mark.parametrize("currency", ["EUR", "CHF"])
def test_foreign_currency_invoice_is_valid_and_names_its_currency(acme, currency):
    # given
    invoice = multi_rate_invoice(acme, currency=currency)

    # when
    xml = build_fa3_xml(invoice)

    # then
    assert validate_fa3(xml) == []
    assert text(parse(xml), "fa:Fa/fa:KodWaluty") == currency
    assert Decimal(text(parse(xml), "fa:Fa/fa:P_15")) == invoice.gross_total


def test_loan_installment_at_zero_rate_is_vat_exempt_with_its_legal_basis(acme):
    # given
    loan = ContractFactory(client=acme, type=Contract.Type.LOAN)
    invoice = InvoiceFactory(
        client=acme,
        contract=loan,
        net_total=Decimal("800.00"),
        vat_total=Decimal("0.00"),
        gross_total=Decimal("800.00"),
        lines=False,
    )
    add_line(invoice, 1, net="800.00", rate="0.00")

    # when
    xml = build_fa3_xml(invoice)

    # then
    assert validate_fa3(xml) == []
    root = parse(xml)
    assert text(root, "fa:Fa/fa:P_13_7") == "800.00"
    assert text(root, "fa:Fa/fa:FaWiersz/fa:P_12") == "zw"
    assert text(root, "fa:Fa/fa:Adnotacje/fa:Zwolnienie/fa:P_19") == "1"
    assert "art. 43" in text(root, "fa:Fa/fa:Adnotacje/fa:Zwolnienie/fa:P_19A")


def test_zero_rate_outside_a_loan_is_domestic_zero_percent(acme):
    # given
    invoice = InvoiceFactory(
        client=acme,
        net_total=Decimal("10.00"),
        vat_total=Decimal("0.00"),
        gross_total=Decimal("10.00"),
        lines=False,
    )
    add_line(invoice, 1, net="10.00", rate="0.00")

    # when
    xml = build_fa3_xml(invoice)

    # then
    assert validate_fa3(xml) == []
    assert text(parse(xml), "fa:Fa/fa:P_13_6_1") == "10.00"
    assert text(parse(xml), "fa:Fa/fa:FaWiersz/fa:P_12") == "0 KR"


def test_validator_reports_schema_errors_and_malformed_xml(acme):
    # given: a valid document with its required buyer flags removed
    root = parse(build_fa3_xml(InvoiceFactory(client=acme)))
    buyer = root.find("fa:Podmiot2", NS)
    buyer.remove(buyer.find("fa:JST", NS))
    broken = etree.tostring(root)

    # when
    errors = validate_fa3(broken)

    # then
    assert errors and any("JST" in error for error in errors)
    assert validate_fa3(b"<Faktura") != []


def test_demo_ksef_number_has_the_ksef_format_and_check_sum(acme):
    # given
    invoice = InvoiceFactory(client=acme, number="FV/2026/04/0007", issue_date=date(2026, 4, 9))

    # when
    assign_demo_ksef_number(invoice)

    # then
    nip, day, technical, check = invoice.ksef_number.split("-")
    assert nip == get_lessor().nip
    assert day == "20260409"
    assert len(technical) == 12
    assert len(check) == 2
    assert is_valid_ksef_number(invoice.ksef_number)
    assert invoice.ksef_sent_at.date() == date(2026, 4, 9)
    tampered = invoice.ksef_number[:-1] + ("0" if invoice.ksef_number[-1] != "0" else "1")
    assert not is_valid_ksef_number(tampered)


def test_check_sum_agrees_with_the_ksef_client_package():
    # ksef-client 0.20.0 (utils/ksef_number.py) computes check sum 92 for this number body
    assert is_valid_ksef_number("1111111111-20260714-D5FB0C9ED490-92")
    assert not is_valid_ksef_number("1111111111-20260714-D5FB0C9ED490-9A")
    assert not is_valid_ksef_number("1111111111-20261314-D5FB0C9ED490-92")
