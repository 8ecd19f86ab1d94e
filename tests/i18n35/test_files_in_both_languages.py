"""The files a client downloads, in the language they work in: the invoice and archive lists' CSV and XLSX,
the contract schedule's PDF, XLSX and CSV. No line of the other language beyond the data."""

from __future__ import annotations

import csv
import io
import subprocess

import pytest
from openpyxl import load_workbook

from tests.browser.client_world import build_client_world
from tests.i18n35.crawl import data_strings, open_as
from tests.i18n35.leftovers import english_on_a_polish_page, polish_on_an_english_page

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "pl"]


def file_lines(name: str, content: bytes) -> list[str]:
    if name.endswith("pdf"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        )
        return [" ".join(line.split()) for line in text.stdout.decode().splitlines() if line.strip()]
    if name.endswith("xlsx"):
        sheet = load_workbook(io.BytesIO(content)).active
        return [str(cell.value) for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    return [cell for row in rows for cell in row if cell.strip()]


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clients_files_are_in_the_clients_language(language):
    world = build_client_world()
    browser = open_as(world.user, language)
    contract = world.contract.pk
    files = {
        "invoices csv": "/invoices/?download=csv",
        "invoices xlsx": "/invoices/?download=xlsx",
        "archive csv": "/archive/?download=csv",
        "schedule pdf": f"/api/contracts/{contract}/schedule/pdf/",
        "schedule xlsx": f"/api/contracts/{contract}/schedule/xlsx/",
        "schedule csv": f"/api/contracts/{contract}/schedule/csv/",
    }
    data = data_strings()
    check = polish_on_an_english_page if language == "en" else english_on_a_polish_page

    lines = {name: file_lines(name, body(browser.get(path))) for name, path in files.items()}
    assert all(len(text) > 5 for text in lines.values())  # headers and rows read, not an empty file

    found = {name: bad for name, text in lines.items() if (bad := check(text, data))}

    assert found == {}
