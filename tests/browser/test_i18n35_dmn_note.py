"""The flow editor, in Polish: opening a DMN file says so in Polish (the note once stayed in English: its
msgid had lost the doubled % a `translate` tag looks a literal up with)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DMN_FILE = Path(__file__).resolve().parents[2] / "bpmn" / "dmn" / "vehicle_abroad_permit.dmn"


@pytest.mark.parametrize("width", [1280, 375])
def test_opening_a_dmn_file_is_announced_in_polish(page, analyst, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, analyst)
    page.goto("/analyst/flows/vehicle_abroad_permit/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")

    page.set_input_files("#upload-dmn", str(DMN_FILE))

    page.wait_for_function("() => document.getElementById('dmn-status').textContent.trim() !== ''")
    note = page.inner_text("#dmn-status")
    assert note == "Otwarto tabelę vehicle_abroad_permit. Sprawdź i wdróż proces, aby jej użyć."
    Path("/tmp/i18n35").mkdir(exist_ok=True)
    page.locator("#dmn-tables").screenshot(path=f"/tmp/i18n35/dmn_opened_{width}.png")
