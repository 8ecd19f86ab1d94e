"""A foreign-currency invoice's FA(3) XML carries its PLN exchange rate: KursWaluty on each line and the
VAT converted to PLN (P_14_xW, half-up to grosze) after each VAT total; valid against the shipped XSD.
FA(3) has no field for the rate's NBP table: when the invoice keeps it, DodatkowyOpis says it."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from backend.invoices.ksef import build_fa3_xml, validate_fa3
from tests.ksef.test_fa3_xml import NS, multi_rate_invoice, parse, text

pytestmark = pytest.mark.django_db
RATE = Decimal("4.251200")


def grosze(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_eur_invoice_with_its_rate_gives_the_vat_in_pln_and_is_valid(acme):
    invoice = multi_rate_invoice(acme, currency="EUR", exchange_rate=RATE)

    xml = build_fa3_xml(invoice)

    assert validate_fa3(xml) == []
    root = parse(xml)
    fa = "fa:Fa/fa:"
    for vat_field in ("P_14_1", "P_14_2", "P_14_3"):
        in_eur = Decimal(text(root, fa + vat_field))
        assert Decimal(text(root, fa + vat_field + "W")) == grosze(in_eur * RATE)
    # 23 % of 1 334.55 EUR = 306.95 EUR → 1 304.91 PLN at 4.2512 (half-up)
    assert text(root, fa + "P_14_1") == "306.95"
    assert text(root, fa + "P_14_1W") == "1304.91"
    rows = root.findall("fa:Fa/fa:FaWiersz", NS)
    assert [row.findtext("fa:KursWaluty", namespaces=NS) for row in rows] == ["4.2512"] * 4
    # the W field follows its VAT total, as the schema's sequence wants
    names = [element.tag.split("}")[1] for element in root.find("fa:Fa", NS)]
    assert names.index("P_14_1W") == names.index("P_14_1") + 1


def test_a_pln_invoice_has_no_rate_fields(acme):
    invoice = multi_rate_invoice(acme, currency="PLN", exchange_rate=RATE)

    xml = build_fa3_xml(invoice)

    assert validate_fa3(xml) == []
    assert b"KursWaluty" not in xml and b"P_14_1W" not in xml


def test_a_foreign_invoice_without_a_rate_stays_valid_without_the_pln_fields(acme):
    invoice = multi_rate_invoice(acme, currency="CHF")

    xml = build_fa3_xml(invoice)

    assert validate_fa3(xml) == [] and b"P_14_1W" not in xml


def test_the_rates_nbp_table_is_stated_in_the_additional_description(acme):
    invoice = multi_rate_invoice(
        acme,
        currency="EUR",
        exchange_rate=RATE,
        issue_date=date(2026, 11, 30),
        exchange_rate_date=date(2026, 11, 27),
        exchange_rate_table="231/A/NBP/2026",
    )

    xml = build_fa3_xml(invoice)

    assert validate_fa3(xml) == []
    root = parse(xml)
    notes = root.findall("fa:Fa/fa:DodatkowyOpis", NS)
    assert [
        (n.findtext("fa:Klucz", namespaces=NS), n.findtext("fa:Wartosc", namespaces=NS)) for n in notes
    ] == [("Kurs waluty", "Kurs średni NBP z dnia 27.11.2026 (tabela 231/A/NBP/2026): 1 EUR = 4,2512 zł")]


def test_an_invoice_without_the_tables_date_has_no_additional_description(acme):
    xml = build_fa3_xml(multi_rate_invoice(acme, currency="EUR", exchange_rate=RATE))

    assert validate_fa3(xml) == [] and b"DodatkowyOpis" not in xml
