"""The buyout quote as a PDF (WeasyPrint, DejaVu Sans for Polish letters), in Polish or English.

A pure function of the stored quote: the same quote always gives the same text; amounts and dates use
the portal's formatters (backend/core/money.py) in the chosen language.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from backend.contracts.models import LOAN_EXEMPTION_BASIS, BuyoutQuote
from backend.core.identifiers import format_nip
from backend.core.money import format_amount, format_date, format_money
from backend.documents.downloads import download_filename

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
STYLESHEET = Path(__file__).with_name("buyout_quote.css")
FONTS = (
    f'@font-face {{ font-family: "DejaVu Sans"; src: url("file://{FONT_DIR}/DejaVuSans.ttf"); }}\n'
    f'@font-face {{ font-family: "DejaVu Sans"; src: url("file://{FONT_DIR}/DejaVuSans-Bold.ttf"); '
    "font-weight: bold; }\n"
)

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _percent(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def quote_lines(quote: BuyoutQuote, *, lang: str) -> list[tuple[str, str]]:
    """(label, amount) of each part of the quote, in the active language; shared by PDF and pages."""
    money = lambda value: format_money(value, quote.currency, lang=lang)  # noqa: E731
    if quote.is_vat_exempt:  # a loan: "zw", as its invoices
        vat_label = _("VAT: exempt (%(basis)s)") % {"basis": LOAN_EXEMPTION_BASIS}
    else:
        vat_label = _("VAT %(rate)s%%") % {"rate": _percent(quote.vat_rate * 100)}
    return [
        (_("Capital remaining (without the residual value)"), money(quote.capital_remaining)),
        (_("Residual value"), money(quote.residual_value)),
        (_("Interest to the effective date"), money(quote.interest)),
        (_("Early termination fee"), money(quote.fee)),
        (_("Net total"), money(quote.net_total)),
        (vat_label, money(quote.vat)),
    ]


def render_quote_html(quote: BuyoutQuote, *, lang: str = "pl") -> str:
    lang = "en" if lang.startswith("en") else "pl"
    with translation.override(lang):
        return render_to_string(
            "contracts/buyout_quote_pdf.html",
            {
                "q": quote,
                "lang": lang,
                "lines": quote_lines(quote, lang=lang),
                "total": format_money(quote.total, quote.currency, lang=lang),
                "quote_date": format_date(quote.quote_date, lang=lang),
                "effective_date": format_date(quote.effective_date, lang=lang),
                "interest_from": format_date(quote.interest_from, lang=lang),
                "valid_until": format_date(quote.valid_until, lang=lang),
                "counter_total": format_money(quote.counter_total, quote.currency, lang=lang)
                if quote.counter_total is not None
                else "",
                "counter_valid_until": format_date(quote.counter_valid_until, lang=lang),
                "unpaid_due": format_money(quote.unpaid_due, quote.currency, lang=lang)
                if quote.unpaid_due
                else "",
                "client_nip": format_nip(quote.client.nip),
                "fee_percent": format_amount(quote.fee_percent, lang=lang),
                "vat_percent": _percent(quote.vat_rate * 100),
                "vat_exempt_basis": LOAN_EXEMPTION_BASIS if quote.is_vat_exempt else "",
            },
        )


def render_quote_pdf(quote: BuyoutQuote, *, lang: str = "pl") -> bytes:
    from weasyprint import CSS, HTML

    stylesheets = [CSS(string=FONTS), CSS(string=STYLESHEET.read_text(encoding="utf-8"))]
    return HTML(string=render_quote_html(quote, lang=lang), base_url=FONT_DIR).write_pdf(
        stylesheets=stylesheets
    )


def quote_filename(quote: BuyoutQuote, *, lang: str | None = None) -> str:
    number = (quote.number or str(quote.pk)).replace("/", "-")
    return download_filename("buyout_quote", number, extension="pdf", separator="-", lang=lang)
