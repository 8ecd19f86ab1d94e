"""The contract schedule's files (PDF, XLSX) of a loan with an agreed buyout: the buyout's VAT reads
"zw" in Polish, as the loan's invoices and quote do, never the English "exempt"."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.files15.test_buyout_and_schedule_files import body

pytestmark = pytest.mark.django_db


def buyout_sentence(api_as, user, contract, language: str) -> str:
    """The spreadsheet's sentence on the agreed buyout in the user's language (the PDF prints the same)."""
    user.language = language
    user.save(update_fields=["language"])
    content = body(api_as(user).get(f"/api/contracts/{contract.pk}/schedule/xlsx/"))
    first_cells = [str(row[0].value) for row in load_workbook(io.BytesIO(content)).active.iter_rows()]
    return next(cell for cell in first_cells if "(net" in cell or "(netto" in cell)


def test_a_polish_schedule_file_says_zw_for_the_loan_buyouts_vat(
    bought_out_loan, api_as, client_user, acme_contract
):
    sentence = buyout_sentence(api_as, client_user, acme_contract, "pl")

    assert "VAT zw)" in sentence
    assert "exempt" not in sentence


def test_an_english_schedule_file_says_exempt(bought_out_loan, api_as, client_user, acme_contract):
    sentence = buyout_sentence(api_as, client_user, acme_contract, "en")

    assert "VAT exempt)" in sentence
