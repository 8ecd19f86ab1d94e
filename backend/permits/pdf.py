"""The permit as a bilingual (Polish / English) PDF: plain data in, bytes out (WeasyPrint).

The HTML is built here rather than in a template so that no template holds a <style> block (the
strict CSP check scans every template); the CSS goes to WeasyPrint as a stylesheet of its own.
"""

from __future__ import annotations

from django.utils.html import escape

from backend.core.lessor import get_lessor
from backend.core.mail import absolute_url
from backend.core.money import format_date
from backend.permits.countries import country_name
from backend.permits.models import VehiclePermit

CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #111; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 11pt; font-weight: normal; color: #444; margin: 0 0 6mm; }
table { width: 100%; border-collapse: collapse; margin: 4mm 0; }
th, td { text-align: left; vertical-align: top; padding: 2mm; border-bottom: 0.3mm solid #bbb; }
th { width: 38%; font-weight: bold; }
.en { color: #555; font-weight: normal; display: block; font-size: 8.5pt; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 13pt; letter-spacing: 0.5mm; }
.note { font-size: 8.5pt; color: #444; margin-top: 8mm; }
"""


def verification_url(code: str) -> str:
    from django.urls import reverse

    return absolute_url(reverse("permit-verify", args=[code]))


def permit_html(permit: VehiclePermit, *, request_number: str, contract_number: str) -> str:
    lessor = get_lessor()
    countries_pl = ", ".join(f"{country_name(c, 'pl')} ({c})" for c in permit.countries)
    countries_en = ", ".join(f"{country_name(c, 'en')} ({c})" for c in permit.countries)
    rows = [
        ("Posiadacz pojazdu (leasingobiorca)", "Vehicle holder (lessee)", permit.holder_name, ""),
        ("Pojazd", "Vehicle", permit.vehicle, ""),
        ("Numer VIN", "VIN", permit.vin or "—", ""),
        ("Umowa leasingu", "Lease contract", contract_number, ""),
        ("Kraje", "Countries", countries_pl, countries_en),
        (
            "Okres ważności",
            "Valid",
            f"{format_date(permit.date_from)} – {format_date(permit.date_to)}",
            f"{format_date(permit.date_from, lang='en')} – {format_date(permit.date_to, lang='en')}",
        ),
        (
            "Data wydania",
            "Issued on",
            format_date(permit.issued_at),
            format_date(permit.issued_at, lang="en"),
        ),
        ("Kod weryfikacji", "Verification code", permit.code, ""),
        ("Weryfikacja online", "Verify online", verification_url(permit.code), ""),
    ]
    body = "".join(
        f"<tr><th>{escape(pl)}<span class='en'>{escape(en)}</span></th>"
        f"<td{' class=code' if en == 'Verification code' else ''}>{escape(value)}"
        + (f"<span class='en'>{escape(value_en)}</span>" if value_en else "")
        + "</td></tr>"
        for pl, en, value, value_en in rows
    )
    lessor_name = escape(lessor.name)
    return (
        "<!DOCTYPE html><html lang='pl'><head><meta charset='utf-8'>"
        f"<title>Zgoda {escape(request_number)}</title></head><body>"
        "<h1>Zgoda na wyjazd pojazdem za granicę</h1>"
        "<h2>Permit to take the leased vehicle abroad</h2>"
        f"<p>{lessor_name}, właściciel pojazdu, zezwala na jego używanie poza granicami Rzeczypospolitej "
        "Polskiej w krajach i okresie podanych poniżej."
        f"<span class='en'>{lessor_name}, the owner of the vehicle, permits its use outside the Republic of "
        "Poland in the countries and for the period stated below.</span></p>"
        f"<table>{body}</table>"
        f"<p class='note'>Wniosek {escape(request_number)}. Ważność zgody można sprawdzić na stronie podanej "
        "wyżej po wpisaniu kodu weryfikacji; dokument bez ważnego kodu jest nieważny."
        f"<span class='en'>Request {escape(request_number)}. The permit can be checked at the address above "
        "with its verification code; a document without a valid code is void.</span></p>"
        "</body></html>"
    )


def render_permit_pdf(permit: VehiclePermit, *, request_number: str, contract_number: str) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML

    from backend.invoices.pdf import FONT_DIR

    html = permit_html(permit, request_number=request_number, contract_number=contract_number)
    return HTML(string=html, base_url=FONT_DIR).write_pdf(stylesheets=[WeasyCSS(string=CSS)])
