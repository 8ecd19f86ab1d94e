"""The buyout quote as a PDF (WeasyPrint, DejaVu Sans for Polish letters), in Polish or English.

A pure function of the stored quote and the day: the same quote on the same day always gives the same
text, laid out once (backend/documents/pdf_store.py); amounts and dates use the portal's formatters
(backend/core/money.py) in the chosen language. It states the quote's status as the page does
(current_status): an open offer with its validity, an accepted one with what is binding and how to pay it
(as the decision says, buyout_effects.quote_summary), an expired, cancelled or declined one as no longer binding.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backend.contracts.models import LOAN_EXEMPTION_BASIS, BuyoutQuote
from backend.core.identifiers import format_nip
from backend.core.lessor import format_account, get_lessor
from backend.core.money import format_amount, format_date, format_money
from backend.documents.downloads import download_filename
from backend.documents.pdf_store import FONT_DIR, PdfSource

STYLESHEET = Path(__file__).with_name("buyout_quote.css")
FONTS = (
    f'@font-face {{ font-family: "DejaVu Sans"; src: url("file://{FONT_DIR}/DejaVuSans.ttf"); }}\n'
    f'@font-face {{ font-family: "DejaVu Sans"; src: url("file://{FONT_DIR}/DejaVuSans-Bold.ttf"); '
    "font-weight: bold; }\n"
)


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


def _accepted_context(quote: BuyoutQuote, *, lang: str) -> dict:
    """What an accepted quote binds the client to: the amount (a counter-offer's once there was one), when
    it was accepted and when, where and under which title it is paid (the lessor's account of the invoices)."""
    money = lambda value: format_money(value, quote.currency, lang=lang)  # noqa: E731
    lessor = get_lessor()
    accepted_at = timezone.localtime(quote.accepted_at) if quote.accepted_at else None
    return {
        "accepted_on": format_date(accepted_at, lang=lang) if accepted_at else "",
        "binding_net": money(quote.binding_net),
        # A loan's buyout is exempt, as its invoices: "zw", not an amount of 0.
        "binding_vat": f"{pgettext('VAT rate', 'exempt')} ({LOAN_EXEMPTION_BASIS})"
        if quote.is_vat_exempt
        else money(quote.binding_vat),
        "binding_total": money(quote.binding_total),
        "payment_account": format_account(lessor.bank_account),
        "payment_bank": lessor.bank_name,
    }


def render_quote_html(quote: BuyoutQuote, *, lang: str = "pl", today: date | None = None) -> str:
    lang = "en" if lang.startswith("en") else "pl"
    status = quote.current_status(today or timezone.localdate())
    with translation.override(lang):
        return render_to_string(
            "contracts/buyout_quote_pdf.html",
            {
                "q": quote,
                "lang": lang,
                "status": status,
                "status_label": BuyoutQuote.Status(status).label,
                **(_accepted_context(quote, lang=lang) if status == BuyoutQuote.Status.ACCEPTED else {}),
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


def quote_pdf(quote: BuyoutQuote, *, lang: str = "pl", today: date | None = None) -> PdfSource:
    """The quote's PDF as the store keys it: its HTML and stylesheets (the status of `today` is in the HTML)."""
    return PdfSource(
        html=render_quote_html(quote, lang=lang, today=today),
        stylesheets=(FONTS, STYLESHEET.read_text(encoding="utf-8")),
    )


def quote_filename(quote: BuyoutQuote, *, lang: str | None = None) -> str:
    number = (quote.number or str(quote.pk)).replace("/", "-")
    return download_filename("buyout_quote", number, extension="pdf", separator="-", lang=lang)
