"""The analyst's pages after walk 32: a problem of an element names it, not its id, also when the element is
not drawn (another tool's file holding a process no pool draws) or belongs to another version than the one
open (a refused "make current"); a problem of the file as a whole is not prefixed with the key "bpmn"; and
on a phone the editor's requests of a version are cards, every column in view."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_analyst_walk30 import answer_prompts
from tests.browser.test_analyst_walk31 import BUSY_DONE, MARKED, failing_drawable_version
from tests.browser.test_editor_walk14 import click_and_wait, open_editor
from tests.portal_ui.test_flow_migration import submit_request
from workflows.services import get_current_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "payment_date_change"
MIWG_B1 = Path("/work/shared/bpmn-miwg/reference/B.1.0.bpmn")


@pytest.mark.skipif(not MIWG_B1.exists(), reason="the BPMN MIWG reference files are not on this machine")
def test_problems_of_elements_no_pool_draws_name_them_and_the_files_own_has_no_key(page, analyst):
    # given another tool's file whose first process ("Abstract Task 4" in it) is drawn by no pool
    errors = open_editor(page, analyst, KEY)
    page.set_input_files("#upload-flow", str(MIWG_B1))
    page.locator("#editor-result.ok").wait_for()

    click_and_wait(page, "#validate-flow")

    items = page.locator("#editor-result ul.error-items li")
    texts = items.all_inner_texts()
    # the file's own problem reads as a sentence, not "bpmn: …"
    assert texts[0].startswith("Plik zawiera 4 procesy wykonywalne"), texts[0]
    # the undrawn task is named as in the file (its id kept as the name's title), not by its id
    task = items.filter(has_text="Abstract Task 4").first
    assert task.inner_text().startswith("Abstract Task 4: Typ elementu task nie jest obsługiwany")
    assert task.locator("strong").get_attribute("title") == "_c57a5344-213f-4834-a6c3-94ce878b413c"
    assert page.locator("#editor-result code", has_text="_c57a5344").count() == 0
    assert page.locator("#editor-result code", has_text="bpmn").count() == 0
    assert errors == []


def test_a_refused_rollback_of_a_version_not_open_names_its_elements(page, analyst):
    get_current_version(KEY)
    v2 = failing_drawable_version()
    open_editor(page, analyst, KEY)
    page.wait_for_function("() => document.querySelector('#version-select').options.length > 1")
    answer_prompts(page, "Powrót do 2")

    # when the analyst, with version 1 open, makes version 2 current and its test run refuses it
    page.select_option("#version-select", str(v2.pk))
    page.click("#rollback-version")
    page.wait_for_function(BUSY_DONE)
    result = page.locator("#editor-result.bad")
    result.wait_for()

    # then the problem names version 2's end event by its name there, marks nothing on version 1
    item = result.locator("ul.error-items li").first
    assert item.inner_text().startswith("Zrealizowany: "), item.inner_text()
    assert item.locator("strong").get_attribute("title") == "request_approved"
    assert result.locator("code").count() == 0
    assert page.evaluate(MARKED) == []
    assert result.locator("[data-testid='open-refused-version']").count() == 1


@pytest.mark.parametrize("language", ["pl", "en"])
def test_on_a_phone_the_requests_of_a_version_are_cards_with_every_column_in_view(
    page, login, analyst, client_user, acme, language
):
    submit_request(client_user, acme, 1)
    analyst.language = language
    analyst.save(update_fields=["language"])
    login(page, analyst)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(f"/analyst/flows/{KEY}/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")

    table = page.locator("[data-testid='version-box-1'] table")
    cells = table.locator("tbody th, tbody td")
    assert cells.count() == 4
    width = page.evaluate("() => document.documentElement.clientWidth")
    for index in range(4):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, cells.nth(index).inner_text()
    # each value says which column it is
    stage, waiting = ("Etap", "Oczekuje na") if language == "pl" else ("Stage", "Waiting for")
    assert cells.nth(2).get_attribute("data-label") == stage
    assert cells.nth(3).get_attribute("data-label") == waiting
    assert cells.nth(3).evaluate("el => getComputedStyle(el, '::before').content").strip('"') == waiting
