"""The buyout quote PDF states the quote's status (accepted: what binds the client and how to pay it), and
the schedule's PDF, XLSX and CSV say when an agreed buyout ends the contract, as the contract page does;
the XLSX labels its currency and shows the capital change column only when an installment has one."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pypdf
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from backend.contracts.models import BuyoutQuote
from backend.core.lessor import format_account, get_lessor
from backend.core.money import format_date, format_money
from tests.effects_walk.helpers import buy_out, new_buyout_quote

pytestmark = pytest.mark.django_db


def squeezed(text: str) -> str:
    """Text without whitespace: a PDF's extracted text breaks lines and spaces where its layout does."""
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes) -> str:
    return squeezed("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages))


def body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def bought_out(api_as, client_user, bok_staff, acme_contract) -> BuyoutQuote:
    """The contract's buyout on a date 20 days ahead, requested by the client and approved by staff."""
    return buy_out(api_as(client_user), api_as(bok_staff), acme_contract)[1]


def quote_pdf(api, quote_id: int, contract) -> str:
    return pdf_text(body(api.get(f"/api/contracts/{contract.pk}/buyout-quotes/{quote_id}/pdf/?lang=pl")))


def test_an_accepted_quotes_pdf_says_what_is_binding_and_how_to_pay_it(
    bought_out, api_as, client_user, acme_contract
):
    quote = bought_out
    text = quote_pdf(api_as(client_user), quote.pk, acme_contract)

    effective = format_date(quote.effective_date)
    assert squeezed("Status Przyjęta") in text
    assert squeezed(f"dnia {format_date(timezone.localtime(quote.accepted_at))}: wycena jest wiążąca") in text
    assert squeezed(f"Kwota wykupu (netto) {format_money(quote.binding_net)}") in text
    assert squeezed(f"VAT {format_money(quote.binding_vat)}") in text
    assert squeezed(f"Kwota wykupu (brutto) {format_money(quote.binding_total)}") in text
    assert squeezed(f"Termin płatności {effective}") in text
    assert squeezed(format_account(get_lessor().bank_account)) in text
    assert squeezed(f"Tytuł przelewu {quote.number}") in text
    assert squeezed("Wycena jest ważna do") not in text
    assert squeezed("staje się wiążąca") not in text


def test_an_expired_quotes_pdf_says_it_is_no_longer_binding(api_as, client_user, acme_contract):
    client_api = api_as(client_user)
    quote = new_buyout_quote(client_api, acme_contract)
    BuyoutQuote.objects.filter(pk=quote["id"]).update(valid_until=timezone.localdate() - timedelta(days=1))

    text = quote_pdf(client_api, quote["id"], acme_contract)

    assert squeezed("Status Wygasła") in text
    assert squeezed("Wycena wygasła i nie jest już wiążąca") in text
    assert squeezed("Wycena jest ważna do") not in text
    assert squeezed("staje się wiążąca") not in text


def test_an_open_quotes_pdf_still_says_until_when_it_is_valid(api_as, client_user, acme_contract):
    client_api = api_as(client_user)
    quote = new_buyout_quote(client_api, acme_contract)

    text = quote_pdf(client_api, quote["id"], acme_contract)

    valid_until = format_date(BuyoutQuote.objects.get(pk=quote["id"]).valid_until)
    assert squeezed(f"Wycena jest ważna do {valid_until}") in text
    assert squeezed("Status Oferowana") in text


def schedule_file(api, contract, kind: str) -> bytes:
    return body(api.get(f"/api/contracts/{contract.pk}/schedule/{kind}/"))


def test_the_schedule_files_say_the_agreed_buyout_ends_the_contract(
    bought_out, api_as, client_user, acme_contract
):
    quote = bought_out
    api = api_as(client_user)
    effective = format_date(quote.effective_date)
    sentence = (
        f"Umowa kończy się z dniem {effective} uzgodnionym wykupem (wycena {quote.number}): "
        f"{format_money(quote.binding_total)} brutto"
    )

    assert squeezed(sentence) in pdf_text(schedule_file(api, acme_contract, "pdf"))

    sheet = load_workbook(io.BytesIO(schedule_file(api, acme_contract, "xlsx"))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    buyout_row = next(row for row in values if row[0] == f"Uzgodniony wykup (wycena {quote.number})")
    assert buyout_row[1].date() == quote.effective_date
    assert buyout_row[4:7] == [float(quote.binding_net), float(quote.binding_vat), float(quote.binding_total)]
    assert any(str(row[0]).startswith(sentence) for row in values)

    records = list(
        csv.reader(io.StringIO(schedule_file(api, acme_contract, "csv").decode("utf-8-sig")), delimiter=";")
    )
    assert records[-1][:2] == [f"Uzgodniony wykup (wycena {quote.number})", effective]
    assert records[-1][6] == f"{quote.binding_total:.2f}".replace(".", ",")


def test_the_xlsx_labels_its_currency_and_has_no_empty_capital_change_column(
    api_as, client_user, acme_contract
):
    api = api_as(client_user)

    sheet = load_workbook(io.BytesIO(schedule_file(api, acme_contract, "xlsx"))).active
    assert (sheet["G2"].value, sheet["H2"].value) == ("Waluta", "PLN")
    assert sheet["C2"].value is None
    headers = [cell.value for cell in sheet[3] if cell.value is not None]
    assert len(headers) == 9
    assert "Zmiana kapitału przed ratą" not in headers

    header = next(
        csv.reader(io.StringIO(schedule_file(api, acme_contract, "csv").decode("utf-8-sig")), delimiter=";")
    )
    assert len(header) == 10 and "Zmiana kapitału przed ratą" not in header  # 9 + "Waluta"
