"""A text a spreadsheet would run as a formula stays text in every XLSX the portal writes: the repayment
schedule wrote the company's name (typed by the company into the registers, so by an outsider) through
openpyxl's plain append, which stores any text starting with "=" as a live formula. And a text that names a
sheet (a contract number) never makes the download a 500 for holding a character Excel forbids there."""

from __future__ import annotations

import io

import openpyxl
import pytest

from backend.core.table_files import table_to_xlsx
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
NAME = '=HYPERLINK("https://example.com/","Kliknij")'


def formula_cells(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_a_company_name_like_a_formula_stays_text_in_the_schedule_xlsx(
    api_as, client_user, acme, acme_contract
):
    # given a company whose registered name starts with "="
    acme.name = NAME
    acme.save(update_fields=["name"])

    # when its user downloads a contract's schedule as XLSX
    response = api_as(client_user).get(f"/api/contracts/{acme_contract.pk}/schedule/xlsx/")

    # then the name is there as a string, and no cell of the sheet is a formula
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == NAME and sheet["A2"].data_type == "s"
    assert formula_cells(response.content) == []


def test_the_title_notes_and_headers_of_a_list_sheet_stay_text_too():
    # given a sheet whose heading lines start with "=" (whatever fills them)
    content = table_to_xlsx(["=A1", "B"], [["x", "y"]], lang="pl", title="=SUM(1,2)", notes=["=1+1"])

    # then none of them became a formula
    assert formula_cells(content) == []


def test_a_contract_number_excel_forbids_in_a_sheet_name_still_downloads(api_as, client_user, acme):
    # given a contract whose number holds characters a sheet name may not (the ERP's numbering)
    contract = ContractFactory(client=acme, number="UL/2025/7:A[1]")

    # when its schedule is downloaded as XLSX
    response = api_as(client_user).get(f"/api/contracts/{contract.pk}/schedule/xlsx/")

    # then the file comes, its sheet named after the number with those characters replaced
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.title == "UL-2025-7-A-1-"
