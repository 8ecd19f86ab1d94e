"""The invoice image as a PDF: plain data in, bytes out (WeasyPrint, DejaVu Sans for Polish letters).

`invoice_document_for` reads the database once; `invoice_pdf` is a pure function of the
`InvoiceDocument`, so the same invoice always gives the same PDF, rendered once and then read from the
store (backend/documents/pdf_store.py) until anything printed on it changes. A duplicate is the same
document with the word DUPLIKAT and the duplicate's issue date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from num2words import num2words

from backend.contracts.models import LOAN_EXEMPTION_BASIS
from backend.core.lessor import format_account, format_nip, get_lessor
from backend.core.money import format_amount, format_date, format_money, to_money
from backend.documents.downloads import download_filename, safe_filename
from backend.documents.pdf_store import FONT_DIR, PdfSource, pdf_bytes
from backend.invoices.ksef import VatInPln, rate_statement, vat_in_pln
from backend.invoices.models import Invoice, InvoiceDuplicate, vat_rate_label

# (singular, 2-4, 5+) forms of the main unit and the hundredth, for the amount in words.
CURRENCY_WORDS = {
    "PLN": (("złoty", "złote", "złotych"), ("grosz", "grosze", "groszy")),
    "EUR": (("euro", "euro", "euro"), ("cent", "centy", "centów")),
    "CHF": (
        ("frank szwajcarski", "franki szwajcarskie", "franków szwajcarskich"),
        ("centym", "centymy", "centymów"),
    ),
}


def polish_plural(number: int, forms: tuple[str, str, str]) -> str:
    """Pick the Polish noun form for `number`: 1 złoty, 2 złote, 5 złotych, 22 złote, 12 złotych."""
    if number == 1:
        return forms[0]
    if number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
        return forms[1]
    return forms[2]


def amount_in_words(amount: Decimal, currency: str = "PLN") -> str:
    """Return e.g. `tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć groszy`."""
    amount = to_money(amount)
    whole = int(amount)
    hundredths = int((amount - whole) * 100)
    main, minor = CURRENCY_WORDS.get(currency, ((currency,) * 3, ("/100",) * 3))
    return (
        f"{num2words(whole, lang='pl')} {polish_plural(whole, main)} "
        f"{num2words(hundredths, lang='pl')} {polish_plural(hundredths, minor)}"
    )


@dataclass(frozen=True)
class PartyData:
    name: str
    nip: str
    address_lines: tuple[str, ...]
    bank_account: str = ""


@dataclass(frozen=True)
class LineData:
    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_net: Decimal
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_exempt: bool = False  # "zw", not 0 % (Invoice.is_vat_exempt)


@dataclass(frozen=True)
class VatRateSummary:
    rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    exempt: bool = False


@dataclass(frozen=True)
class InvoiceDocument:
    number: str
    issue_date: date
    sale_date: date
    due_date: date
    currency: str
    seller: PartyData
    buyer: PartyData
    lines: tuple[LineData, ...]
    net_total: Decimal
    vat_total: Decimal
    gross_total: Decimal
    paid_amount: Decimal  # payments and compensations together (Invoice.paid_amount)
    contract_number: str = ""
    compensated_amount: Decimal = Decimal("0.00")  # the part of paid_amount settled by compensation
    ksef_number: str = ""  # printed when KSeF gave the invoice one: the visualisation must name it
    duplicate_issued_on: date | None = None
    bank_name: str = ""
    vat_summary: tuple[VatRateSummary, ...] = field(default=())
    in_pln: VatInPln | None = None  # a foreign-currency invoice's rate and VAT in PLN (as its FA(3) XML)


def summarize_vat(lines: tuple[LineData, ...]) -> tuple[VatRateSummary, ...]:
    """Sum net, VAT and gross per VAT rate (exempt lines apart from 0 % ones), highest rate first."""
    rates: dict[tuple[Decimal, bool], list[Decimal]] = {}
    for line in lines:
        sums = rates.setdefault((line.vat_rate, line.vat_exempt), [Decimal("0.00")] * 3)
        sums[0] += line.net
        sums[1] += line.vat
        sums[2] += line.gross
    return tuple(
        VatRateSummary(rate, *rates[rate, exempt], exempt=exempt)
        for rate, exempt in sorted(rates, reverse=True)
    )


def exemption_basis(lines: tuple[LineData, ...]) -> str:
    """The legal basis the PDF prints when a line is VAT-exempt, else ""."""
    return LOAN_EXEMPTION_BASIS if any(line.vat_exempt for line in lines) else ""


def invoice_document_for(invoice: Invoice, *, duplicate: InvoiceDuplicate | None = None) -> InvoiceDocument:
    """Collect everything printed on the invoice (or on its duplicate)."""
    lessor = get_lessor()
    client = invoice.client
    lines = tuple(
        LineData(
            position=line.position,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_net=line.unit_net,
            vat_rate=line.vat_rate,
            net=line.net,
            vat=line.vat,
            gross=line.gross,
            vat_exempt=line.vat_exempt,
        )
        for line in invoice.lines.all()
    )
    return InvoiceDocument(
        number=invoice.number,
        issue_date=invoice.issue_date,
        sale_date=invoice.sale_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        seller=PartyData(
            name=lessor.name,
            nip=lessor.nip,
            address_lines=(lessor.street, f"{lessor.postal_code} {lessor.city}"),
            bank_account=lessor.bank_account,
        ),
        buyer=PartyData(
            name=client.name,
            nip=client.nip,
            address_lines=(
                client.registered_street,
                f"{client.registered_postal_code} {client.registered_city}",
            ),
        ),
        lines=lines,
        net_total=invoice.net_total,
        vat_total=invoice.vat_total,
        gross_total=invoice.gross_total,
        paid_amount=invoice.paid_amount,
        compensated_amount=invoice.compensated_amount,
        ksef_number=invoice.ksef_number,
        contract_number=invoice.contract.number if invoice.contract_id else "",
        duplicate_issued_on=timezone.localdate(duplicate.issued_at) if duplicate else None,
        bank_name=lessor.bank_name,
        vat_summary=summarize_vat(lines),
        in_pln=vat_in_pln(invoice),
    )


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _in_pln_text(in_pln: VatInPln | None) -> dict | None:
    """The rate with its NBP table ("Kurs średni NBP z dnia 27.11.2026: 1 EUR = 4,2512 zł") and the VAT
    in PLN ("1 932,34 zł") as the PDF prints them (Polish)."""
    if in_pln is None:
        return None
    vat = format_money(in_pln.vat) if in_pln.vat is not None else ""
    return {"statement": rate_statement(in_pln, lang="pl"), "vat": vat}


def render_invoice_html(document: InvoiceDocument) -> str:
    money = format_amount
    with translation.override("pl"):
        return render_to_string(
            "invoices/invoice_pdf.html",
            {
                "doc": document,
                "font_dir": FONT_DIR,
                "issue_date": format_date(document.issue_date),
                "sale_date": format_date(document.sale_date),
                "due_date": format_date(document.due_date),
                "duplicate_date": format_date(document.duplicate_issued_on),
                "seller_nip": format_nip(document.seller.nip),
                "buyer_nip": format_nip(document.buyer.nip),
                "bank_account": format_account(document.seller.bank_account),
                "lines": [
                    {
                        "line": line,
                        "quantity": _quantity(line.quantity),
                        "unit_net": money(line.unit_net),
                        "rate": vat_rate_label(line.vat_rate, exempt=line.vat_exempt),
                        "net": money(line.net),
                        "vat": money(line.vat),
                        "gross": money(line.gross),
                    }
                    for line in document.lines
                ],
                "vat_rows": [
                    {
                        "rate": vat_rate_label(row.rate, exempt=row.exempt),
                        "net": money(row.net),
                        "vat": money(row.vat),
                        "gross": money(row.gross),
                    }
                    for row in document.vat_summary
                ],
                "net_total": money(document.net_total),
                "vat_total": money(document.vat_total),
                "gross_total": money(document.gross_total),
                # Paid by payments and compensated apart, as the invoice page lists them.
                "paid": money(document.paid_amount - document.compensated_amount),
                "compensated": money(document.compensated_amount) if document.compensated_amount else "",
                "to_pay": money(max(document.gross_total - document.paid_amount, Decimal("0"))),
                "in_words": amount_in_words(document.gross_total, document.currency),
                "exemption_basis": exemption_basis(document.lines),
                "in_pln": _in_pln_text(document.in_pln),
            },
        )


def invoice_pdf_filename(invoice: Invoice, *, duplicate: InvoiceDuplicate | None = None) -> str:
    """The downloaded file's name, for the client's API and customer service's page alike."""
    # A duplicate's file carries its number within the invoice (numbered_duplicates), not its id.
    suffix = ("duplicate", str(duplicate.number)) if duplicate else ()
    return download_filename("invoice", safe_filename(invoice.number), *suffix, extension="pdf")


def invoice_pdf(document: InvoiceDocument) -> PdfSource:
    """The invoice's PDF as the store keys it: its HTML, a few milliseconds; laid out only when new."""
    return PdfSource(html=render_invoice_html(document))


def render_invoice_pdf(document: InvoiceDocument) -> bytes:
    return pdf_bytes(invoice_pdf(document))
