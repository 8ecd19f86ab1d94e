"""KSeF (Krajowy System e-Faktur): the invoice as structured FA(3) XML, its validation, demo KSeF numbers.

`build_fa3_xml` writes the invoice data in the FA(3) logical structure (namespace of the 2025-06-25
schema, the one KSeF 2.0 accepts from 2026-02-01); `validate_fa3` checks a document against the official
XSD shipped in `ksef_schema/` (see its README for source and version). The portal does not send
invoices to KSeF: the number KSeF gives an invoice comes from the lessor's accounting system.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from backend.contracts.models import LOAN_EXEMPTION_BASIS
from backend.core.exceptions import PortalError
from backend.core.lessor import get_lessor
from backend.core.money import currency_symbol, format_date, format_rate, to_money
from backend.documents.downloads import download_filename, safe_filename
from backend.invoices.models import Invoice

FA3_NAMESPACE = "http://crd.gov.pl/wzor/2025/06/25/13775/"
SCHEMA_DIR = Path(__file__).resolve().parent / "ksef_schema"
SCHEMA_FILE = SCHEMA_DIR / "schemat_FA(3)_v1-0E.xsd"
SYSTEM_INFO = "Portal Klienta"
# DataWytworzeniaFa may not be earlier than this (the schema's own lower bound).
FA3_EARLIEST_CREATION = datetime(2025, 9, 1, tzinfo=UTC)
TRANSFER = "6"  # FormaPlatnosci: przelew
RATE_KEY = "Kurs waluty"  # DodatkowyOpis/Klucz of the rate's NBP table (the XML is Polish in any language)
YES, NO = "1", "2"

# VAT rate → (P_12 code, net total field, VAT total field), in the order the schema's sequence requires.
_RATE_FIELDS: dict[Decimal, tuple[str, str, str | None]] = {
    Decimal("0.23"): ("23", "P_13_1", "P_14_1"),
    Decimal("0.22"): ("22", "P_13_1", "P_14_1"),
    Decimal("0.08"): ("8", "P_13_2", "P_14_2"),
    Decimal("0.07"): ("7", "P_13_2", "P_14_2"),
    Decimal("0.05"): ("5", "P_13_3", "P_14_3"),
}
_ZERO_RATE = ("0 KR", "P_13_6_1", None)  # 0% domestic supply
_EXEMPT = ("zw", "P_13_7", None)
SUMMARY_ORDER = (
    "P_13_1", "P_14_1", "P_13_2", "P_14_2", "P_13_3", "P_14_3", "P_13_6_1", "P_13_7",
)  # fmt: skip


class UnsupportedVatRate(PortalError):
    """A line's VAT rate has no FA(3) field this portal knows how to fill (answered as 409, never a 500)."""

    code, status = "ksef_unsupported_vat_rate", 409

    def default_message(self) -> str:
        return _("This invoice cannot be shown in the KSeF structure: one of its VAT rates is not supported.")


# --- KSeF numbers ---------------------------------------------------------------------------------


def _crc8(data: bytes) -> int:
    """CRC-8 (polynomial 0x07, initial 0) — the check sum of a KSeF number."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def ksef_number_check(body: str) -> str:
    """The two hex check characters of a KSeF number from its first 32 characters."""
    return f"{_crc8(body.encode('ascii')):02X}"


def is_valid_ksef_number(value: str) -> bool:
    """`NNNNNNNNNN-YYYYMMDD-XXXXXXXXXXXX-CC`: seller NIP, date, 12 hex characters, CRC-8 check."""
    parts = value.split("-")
    if len(value) != 35 or len(parts) != 4:
        return False
    nip, day, technical, check = parts
    if not (nip.isdigit() and len(nip) == 10 and day.isdigit() and len(day) == 8):
        return False
    if len(technical) != 12 or any(c not in "0123456789ABCDEF" for c in technical):
        return False
    try:
        datetime.strptime(day, "%Y%m%d")
    except ValueError:
        return False
    return check == ksef_number_check(value[:32])


def demo_ksef_number(*, seller_nip: str, issue_date: date, invoice_number: str) -> str:
    """A well-formed, made-up KSeF number, the same for the same invoice (demo data and tests only)."""
    technical = hashlib.sha256(f"{seller_nip}|{invoice_number}".encode()).hexdigest()[:12].upper()
    body = f"{seller_nip}-{issue_date:%Y%m%d}-{technical}"
    return f"{body}-{ksef_number_check(body)}"


def demo_sent_at(issue_date: date) -> datetime:
    return timezone.make_aware(datetime.combine(issue_date, datetime.min.time()))


def assign_demo_ksef_number(invoice: Invoice) -> Invoice:
    """Give the invoice a demo KSeF number as if it had been sent on its issue date (not saved here)."""
    invoice.ksef_number = demo_ksef_number(
        seller_nip=get_lessor().nip, issue_date=invoice.issue_date, invoice_number=invoice.number
    )
    invoice.ksef_sent_at = demo_sent_at(invoice.issue_date)
    return invoice


def demo_ksef_columns(*, issue_date: date, invoice_number: str) -> dict:
    """The same demo values as column values for the demo seeding's raw inserts (datetime adapted)."""
    return {
        "ksef_number": demo_ksef_number(
            seller_nip=get_lessor().nip, issue_date=issue_date, invoice_number=invoice_number
        ),
        "ksef_sent_at": connection.ops.adapt_datetimefield_value(demo_sent_at(issue_date)),
    }


# --- FA(3) XML ------------------------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    return f"{to_money(value):.2f}"


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _line_fields(invoice: Invoice, rate: Decimal) -> tuple[str, str, str | None]:
    if rate in _RATE_FIELDS:
        return _RATE_FIELDS[rate]
    if rate == 0:  # exempt (P_19A gives LOAN_EXEMPTION_BASIS) or 0 %: the invoice's one rule
        return _EXEMPT if invoice.is_vat_exempt(rate) else _ZERO_RATE
    raise UnsupportedVatRate()


# The VAT of a foreign-currency invoice is also given in PLN (art. 106e ust. 11 of the VAT act).
_VAT_IN_PLN = {"P_14_1": "P_14_1W", "P_14_2": "P_14_2W", "P_14_3": "P_14_3W"}


def _exchange_rate(invoice: Invoice) -> Decimal | None:
    """The invoice's PLN rate when it is in another currency and the rate is known (else no W fields)."""
    if invoice.currency == "PLN" or not invoice.exchange_rate:
        return None
    return Decimal(invoice.exchange_rate)


def _summary_totals(invoice: Invoice, lines: list) -> dict[str, Decimal]:
    """Net and VAT per FA(3) summary field (P_13_x, P_14_x), in the invoice's currency."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        _code, net_field, vat_field = _line_fields(invoice, line.vat_rate)
        totals[net_field] = totals.get(net_field, Decimal("0.00")) + line.net
        if vat_field:
            totals[vat_field] = totals.get(vat_field, Decimal("0.00")) + line.vat
    return totals


def _vat_in_pln_fields(totals: dict[str, Decimal], rate: Decimal) -> dict[str, Decimal]:
    """P_14_xW: each VAT total converted to PLN at the invoice's rate, half-up to grosze."""
    return {_VAT_IN_PLN[field]: to_money(vat * rate) for field, vat in totals.items() if field in _VAT_IN_PLN}


@dataclass(frozen=True)
class VatInPln:
    """What a foreign-currency invoice states in PLN (art. 106e ust. 11): the rate and the VAT, and the
    NBP table the rate is from when the invoice keeps it."""

    currency: str
    rate: Decimal  # PLN per 1 unit of `currency`
    vat: Decimal | None  # the sum of the XML's P_14_xW; None when no line is taxed (exempt, 0 %)
    table_date: date | None = None  # Invoice.exchange_rate_date
    table_number: str = ""  # Invoice.exchange_rate_table, "231/A/NBP/2026"


def rate_statement(in_pln: VatInPln, *, lang: str = "pl") -> str:
    """The rate as the page, the PDF and the XML state it, in `lang`: "Kurs średni NBP z dnia 27.11.2026
    (tabela 231/A/NBP/2026): 1 EUR = 4,2512 zł"; without a stored table date the rate alone."""
    values = {
        "currency": in_pln.currency,
        "rate": format_rate(in_pln.rate, lang=lang),
        "pln": currency_symbol("PLN", lang=lang),
        "date": format_date(in_pln.table_date, lang=lang),
        "table": in_pln.table_number,
    }
    with translation.override(lang):
        if in_pln.table_date is None:
            return _("NBP exchange rate: 1 %(currency)s = %(rate)s %(pln)s") % values
        if not in_pln.table_number:
            return _("NBP average rate of %(date)s: 1 %(currency)s = %(rate)s %(pln)s") % values
        return _("NBP average rate of %(date)s (table %(table)s): 1 %(currency)s = %(rate)s %(pln)s") % values


def vat_in_pln(invoice: Invoice) -> VatInPln | None:
    """The rate and VAT in PLN the invoice's FA(3) XML carries (KursWaluty, P_14_xW), for the page and
    the PDF to print the same figures; None for a PLN invoice or one whose rate is not known."""
    rate = _exchange_rate(invoice)
    if rate is None:
        return None
    try:
        in_pln = _vat_in_pln_fields(_summary_totals(invoice, list(invoice.lines.all())), rate)
    except UnsupportedVatRate:  # no FA(3) field for a rate: the page still opens, with the rate alone
        in_pln = {}
    return _stated(invoice, rate, in_pln)


def _stated(invoice: Invoice, rate: Decimal, in_pln: dict[str, Decimal]) -> VatInPln:
    return VatInPln(
        currency=invoice.currency,
        rate=rate,
        vat=sum(in_pln.values()) if in_pln else None,
        table_date=invoice.exchange_rate_date,
        table_number=invoice.exchange_rate_table if invoice.exchange_rate_date else "",
    )


def _rate_text(rate: Decimal) -> str:
    """TIlosci: at most 6 decimals, no exponent, no trailing zeros."""
    text = format(rate.quantize(Decimal("0.000001")), "f").rstrip("0").rstrip(".")
    return text or "0"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{FA3_NAMESPACE}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _address(parent: etree._Element, street: str, postal_code: str, city: str) -> None:
    address = _sub(parent, "Adres")
    _sub(address, "KodKraju", "PL")
    _sub(address, "AdresL1", street)
    _sub(address, "AdresL2", f"{postal_code} {city}")


def _creation_time(invoice: Invoice) -> datetime:
    created = invoice.created_at or timezone.now()
    if created < FA3_EARLIEST_CREATION:  # an invoice older than FA(3): its XML is made now
        created = timezone.now()
    return created.astimezone(UTC).replace(microsecond=0)


def build_fa3_xml(invoice: Invoice) -> bytes:
    """The invoice as an FA(3) document (UTF-8 bytes): seller = the lessor, buyer = the client."""
    lessor = get_lessor()
    client = invoice.client
    lines = list(invoice.lines.all())
    root = etree.Element(f"{{{FA3_NAMESPACE}}}Faktura", nsmap={None: FA3_NAMESPACE})

    header = _sub(root, "Naglowek")
    form = _sub(header, "KodFormularza", "FA")
    form.set("kodSystemowy", "FA (3)")
    form.set("wersjaSchemy", "1-0E")
    _sub(header, "WariantFormularza", "3")
    _sub(header, "DataWytworzeniaFa", _creation_time(invoice).isoformat().replace("+00:00", "Z"))
    _sub(header, "SystemInfo", SYSTEM_INFO)

    seller = _sub(root, "Podmiot1")
    identity = _sub(seller, "DaneIdentyfikacyjne")
    _sub(identity, "NIP", lessor.nip)
    _sub(identity, "Nazwa", lessor.name)
    _address(seller, lessor.street, lessor.postal_code, lessor.city)
    contact = _sub(seller, "DaneKontaktowe")
    _sub(contact, "Email", lessor.email)
    _sub(contact, "Telefon", lessor.phone)

    buyer = _sub(root, "Podmiot2")
    identity = _sub(buyer, "DaneIdentyfikacyjne")
    _sub(identity, "NIP", client.nip)
    _sub(identity, "Nazwa", client.name)
    _address(buyer, client.registered_street, client.registered_postal_code, client.registered_city)
    _sub(buyer, "JST", NO)  # not a subordinate unit of a local government
    _sub(buyer, "GV", NO)  # not a member of a VAT group

    fa = _sub(root, "Fa")
    _sub(fa, "KodWaluty", invoice.currency)
    _sub(fa, "P_1", invoice.issue_date.isoformat())
    _sub(fa, "P_1M", lessor.city)
    _sub(fa, "P_2", invoice.number)
    _sub(fa, "P_6", invoice.sale_date.isoformat())
    totals = _summary_totals(invoice, lines)
    rate = _exchange_rate(invoice)
    in_pln = _vat_in_pln_fields(totals, rate) if rate is not None else {}
    for field in SUMMARY_ORDER:
        if field in totals:
            _sub(fa, field, _amount(totals[field]))
            if _VAT_IN_PLN.get(field) in in_pln:  # P_14_xW: the VAT converted to PLN
                _sub(fa, _VAT_IN_PLN[field], _amount(in_pln[_VAT_IN_PLN[field]]))
    _sub(fa, "P_15", _amount(invoice.gross_total))

    notes = _sub(fa, "Adnotacje")
    for field in ("P_16", "P_17", "P_18", "P_18A"):  # no cash method, self-billing, reverse charge, split
        _sub(notes, field, NO)
    exemption = _sub(notes, "Zwolnienie")
    if "P_13_7" in totals:
        _sub(exemption, "P_19", YES)
        _sub(exemption, "P_19A", LOAN_EXEMPTION_BASIS)
    else:
        _sub(exemption, "P_19N", YES)
    _sub(_sub(notes, "NoweSrodkiTransportu"), "P_22N", YES)
    _sub(notes, "P_23", NO)
    _sub(_sub(notes, "PMarzy"), "P_PMarzyN", YES)
    _sub(fa, "RodzajFaktury", "VAT")
    if rate is not None and invoice.exchange_rate_date is not None:
        # FA(3) has no field for the rate's NBP table: DodatkowyOpis is the schema's place for data with
        # no field of its own; it says what the PDF says.
        extra = _sub(fa, "DodatkowyOpis")
        _sub(extra, "Klucz", RATE_KEY)
        _sub(extra, "Wartosc", rate_statement(_stated(invoice, rate, in_pln), lang="pl"))

    for index, line in enumerate(lines, start=1):
        code, _net_field, _vat_field = _line_fields(invoice, line.vat_rate)
        row = _sub(fa, "FaWiersz")
        _sub(row, "NrWierszaFa", str(index))
        _sub(row, "P_7", line.description)
        _sub(row, "P_8A", line.unit)
        _sub(row, "P_8B", _quantity(line.quantity))
        _sub(row, "P_9A", _amount(line.unit_net))
        _sub(row, "P_11", _amount(line.net))
        _sub(row, "P_12", code)
        if rate is not None:
            _sub(row, "KursWaluty", _rate_text(rate))

    payment = _sub(fa, "Platnosc")
    _sub(_sub(payment, "TerminPlatnosci"), "Termin", invoice.due_date.isoformat())
    _sub(payment, "FormaPlatnosci", TRANSFER)
    account = _sub(payment, "RachunekBankowy")
    _sub(account, "NrRB", lessor.bank_account.replace(" ", ""))
    _sub(account, "NazwaBanku", lessor.bank_name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    """The FA(3) schema, parsed once per process (the imports resolve to the local files)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def validate_fa3(xml: bytes) -> list[str]:
    """Return the schema errors of an FA(3) document (an empty list when it is valid)."""
    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [f"line {error.lineno}: {error.msg}"]
    schema = _schema()
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def fa3_filename(invoice: Invoice) -> str:
    return download_filename("invoice", safe_filename(invoice.number), "FA3", extension="xml")
