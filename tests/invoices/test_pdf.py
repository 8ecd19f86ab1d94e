import io
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from backend.invoices.pdf import (
    InvoiceDocument,
    LineData,
    PartyData,
    amount_in_words,
    render_invoice_pdf,
    summarize_vat,
)


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        ("1.01", "PLN", "jeden złoty jeden grosz"),
        ("2.02", "PLN", "dwa złote dwa grosze"),
        ("5.05", "PLN", "pięć złotych pięć groszy"),
        ("12.12", "PLN", "dwanaście złotych dwanaście groszy"),
        ("22.22", "PLN", "dwadzieścia dwa złote dwadzieścia dwa grosze"),
        ("1234.56", "PLN", "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć groszy"),
        ("1000000.00", "PLN", "milion złotych zero groszy"),
        ("3.50", "EUR", "trzy euro pięćdziesiąt centów"),
        ("2.00", "CHF", "dwa franki szwajcarskie zero centymów"),
    ],
)
def test_amount_in_words_uses_polish_plural_forms(amount, currency, words):
    assert amount_in_words(Decimal(amount), currency) == words


def line(position: int, net: str, rate: str) -> LineData:
    net_value = Decimal(net)
    vat = (net_value * Decimal(rate)).quantize(Decimal("0.01"))
    return LineData(
        position, "Rata", Decimal(1), "szt.", net_value, Decimal(rate), net_value, vat, net_value + vat
    )


def document(**changes) -> InvoiceDocument:
    lines = (line(1, "1000.00", "0.23"), line(2, "100.00", "0.08"), line(3, "50.00", "0.23"))
    values = {
        "number": "FV/2026/05/0000001",
        "issue_date": date(2026, 5, 1),
        "sale_date": date(2026, 4, 30),
        "due_date": date(2026, 5, 15),
        "currency": "PLN",
        "seller": PartyData(
            "Leasing Łódź S.A.",
            "7595724019",
            ("ul. Żółta 1", "00-001 Warszawa"),
            "PL36109010140000000000424242",
        ),
        "buyer": PartyData("Zażółć Gęślą sp. z o.o.", "5260250995", ("ul. Ćmy 2", "30-001 Kraków")),
        "lines": lines,
        "net_total": Decimal("1150.00"),
        "vat_total": Decimal("249.50"),
        "gross_total": Decimal("1399.50"),
        "paid_amount": Decimal("0.00"),
        "vat_summary": summarize_vat(lines),
    }
    return InvoiceDocument(**{**values, **changes})


def test_vat_summary_per_rate():
    summary = summarize_vat(document().lines)
    assert [(row.rate, row.net, row.vat) for row in summary] == [
        (Decimal("0.23"), Decimal("1050.00"), Decimal("241.50")),
        (Decimal("0.08"), Decimal("100.00"), Decimal("8.00")),
    ]


def test_invoice_pdf_is_a_pure_function_of_its_data():
    assert render_invoice_pdf(document()) == render_invoice_pdf(document())


def test_duplicate_differs_only_by_its_mark_and_date():
    # when
    original = pypdf.PdfReader(io.BytesIO(render_invoice_pdf(document()))).pages[0].extract_text()
    duplicate = (
        pypdf.PdfReader(io.BytesIO(render_invoice_pdf(document(duplicate_issued_on=date(2026, 6, 3)))))
        .pages[0]
        .extract_text()
    )

    # then
    extra = [text for text in duplicate.splitlines() if text not in original.splitlines()]
    assert extra == ["DUPLIKAT", "Data wystawienia duplikatu: 03.06.2026"]
    assert "Zażółć Gęślą sp. z o.o." in duplicate
    assert "Data sprzedaży: 30.04.2026" in duplicate
    assert "8%" in duplicate and "23%" in duplicate
