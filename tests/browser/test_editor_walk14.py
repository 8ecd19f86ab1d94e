"""The flow editor after the analyst's walk (round 14): decision table edits count as unsaved work,
problems name elements by their names and locate decision table rules, the panel speaks Polish for
non-interrupting timers and pools, "Fit to screen" shows the whole flow and a phone shows no palette, and
another tool's file is refused once, naming and selecting its pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import log_in
from workflows.models import ProcessVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODELER = "document.getElementById('flow-editor').modeler"
MIWG_C1 = Path("/work/shared/bpmn-miwg/reference/C.1.0.bpmn")


def open_editor(page, analyst, process: str) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, analyst)
    page.goto(f"/analyst/flows/{process}/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")
    page.wait_for_function("() => document.querySelector('#version-select').options.length > 0")
    return errors


def click_and_wait(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_function(
        "() => document.getElementById('flow-editor').getAttribute('aria-busy') === 'false'"
    )
    page.wait_for_selector("#editor-result.ok, #editor-result.bad")


def select_element(page, element_id: str, position: dict | None = None) -> None:
    page.click(
        f"#bpmn-canvas .djs-element[data-element-id='{element_id}']", position=position or {"x": 6, "y": 6}
    )
    page.wait_for_function(
        f"id => {MODELER}.get('selection').get().some(e => e.id === id)",
        arg=element_id,
    )


def test_decision_table_edits_are_unsaved_until_deployed(page, analyst):
    errors = open_editor(page, analyst, "vehicle_abroad_permit")
    cell = page.locator("#dmn-tables tr[data-rule-id='rule_too_long'] input").nth(5)
    assert page.get_attribute("#flow-editor", "data-dirty") == "false"

    # when the analyst edits a cell, the page holds unsaved work; typing the old value back is no edit
    cell.fill("> 60")
    assert page.get_attribute("#flow-editor", "data-dirty") == "true"
    cell.fill("> 90")
    assert page.get_attribute("#flow-editor", "data-dirty") == "false"
    cell.fill("> 60")

    # then leaving the page asks first, and staying keeps the edit
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.click(".crumbs a")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert cell.input_value() == "> 60"

    # when the edit is deployed, nothing is unsaved and leaving asks nothing
    # (the deploy's own "Deploy this diagram?" is answered yes; a leave prompt would still be recorded)
    page.click("#deploy-flow")
    click_and_wait(page, "#deploy-confirm")
    assert "ok" in page.get_attribute("#editor-result", "class")
    assert (
        "&gt; 60"
        in ProcessVersion.objects.filter(process_key="vehicle_abroad_permit")
        .order_by("-number")[0]
        .dmn["vehicle_abroad_permit"]
    )
    assert page.get_attribute("#flow-editor", "data-dirty") == "false"
    with page.expect_navigation():
        page.click(".crumbs a")
    assert dialogs == ["beforeunload"]
    assert errors == []


def test_problems_name_elements_by_name_and_locate_table_rules(page, analyst):
    errors = open_editor(page, analyst, "vehicle_abroad_permit")
    result = page.locator("#editor-result")

    # given a decision table cell naming something unknown
    cell = page.locator("#dmn-tables tr[data-rule-id='rule_too_long'] input").nth(5)
    cell.fill("> sześćdziesiąt")
    click_and_wait(page, "#validate-flow")

    # then its problem says the row and the column, is named by its table, and selects the rule
    rule = result.locator("button[data-element-id='rule_too_long']")
    assert rule.inner_text().startswith("Tabela") and rule.inner_text().endswith("(rule_too_long)")
    assert "Reguła 7, kolumna Liczba dni: nieznana nazwa „sześćdziesiąt”" in result.inner_text()
    assert page.locator("#editor-result > p").inner_text() == "Tabela decyzyjna zawiera błędy."
    rule.click()
    assert page.evaluate("() => document.activeElement.closest('tr').dataset.ruleId") == "rule_too_long"
    assert "has-error" in page.get_attribute("#dmn-tables tr[data-rule-id='rule_too_long']", "class")
    cell.fill("> 90")

    # given a task without a form and a new task without a name
    select_element(page, "client_reply")
    page.locator("#properties-panel [data-entry-id='portal-formKey'] select").select_option("")
    new_id = page.evaluate(
        f"""() => {{
          const m = {MODELER};
          const shape = m.get('elementFactory').createShape({{type: 'bpmn:UserTask'}});
          const lane = m.get('elementRegistry').get('lane_staff');
          return m.get('modeling').createShape(shape, {{x: lane.x + 700, y: lane.y + 60}}, lane).id;
        }}"""
    )
    click_and_wait(page, "#validate-flow")

    # then the named task is named by its name, the unnamed one by its type with the id in brackets
    named = result.locator("button[data-element-id='client_reply']").first
    assert named.inner_text() == "Oczekuje na odpowiedź klienta"
    assert "Zadanie użytkownika nie ma formularza: wybierz go w polu „Formularz”" in result.inner_text()
    unnamed = result.locator(f"button[data-element-id='{new_id}']").first
    assert unnamed.inner_text() == f"Zadanie użytkownika ({new_id})"
    assert errors == []


def test_the_panel_names_a_non_interrupting_timer_and_a_pool_in_polish(page, analyst):
    open_editor(page, analyst, "payment_date_change")

    select_element(page, "reminder_timer")
    header = page.locator("#properties-panel .bio-properties-panel-header-type").text_content()
    select_element(page, "payment_date_change_participant", {"x": 12, "y": 200})
    labels = page.locator("#properties-panel .bio-properties-panel-label").all_text_contents()

    assert header == "Zegar na zadaniu (nieprzerywający)"
    assert "Nazwa puli" in labels and "Identyfikator puli" in labels
    assert not [label for label in labels if "Participant" in label]


VIEW = f"""() => {{
  const canvas = {MODELER}.get('canvas');
  const box = canvas.viewbox();
  const palette = document.querySelector('#bpmn-canvas .djs-palette');
  return {{zoom: canvas.zoom(), inner: box.inner, outer: {{x: box.x, y: box.y, width: box.width, height: box.height}},
           palette: palette.getClientRects().length > 0}};
}}"""


def test_fit_to_screen_shows_the_whole_flow_and_a_phone_shows_no_palette(page, analyst):
    open_editor(page, analyst, "payment_date_change")
    opened = page.evaluate(VIEW)

    page.click("#fit-flow")
    fitted = page.evaluate(VIEW)

    # opened, the whole flow is in view already (session 27: cut off at the right, it hid its last
    # stage); "Fit to screen" brings that view back, smaller than the flow's natural size
    assert opened["zoom"] == fitted["zoom"] < 1
    inner, outer = fitted["inner"], fitted["outer"]
    assert inner["x"] >= outer["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
    assert inner["y"] >= outer["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1

    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate(VIEW)["palette"] is False


@pytest.mark.skipif(not MIWG_C1.exists(), reason="the BPMN MIWG reference files are not on this machine")
def test_another_tools_file_is_refused_once_naming_and_selecting_its_pool(page, analyst):
    open_editor(page, analyst, "payment_date_change")
    page.set_input_files("#upload-flow", str(MIWG_C1))
    page.locator("#editor-result.ok").wait_for()

    click_and_wait(page, "#validate-flow")

    result = page.locator("#editor-result")
    assert page.locator("#editor-result > p").inner_text() == "Diagram zawiera błędy:"
    assert result.inner_text().count("a portal nie ma takiego przepływu") == 1
    assert "zaznacz pulę „Process Engine - Invoice Receipt”" in result.inner_text()
    button = result.locator("button[data-element-id='bpmn-miwg-test-case-c.1.0']")
    assert button.inner_text() == "Process Engine - Invoice Receipt"
    button.click()
    assert (
        page.evaluate(f"() => {MODELER}.get('selection').get().map(e => e.id).join()") == "Process_Engine_1"
    )
