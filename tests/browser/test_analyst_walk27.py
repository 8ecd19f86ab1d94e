"""The flow editor after the outside walk (session 27): it opens with the whole diagram in view, Validate
speaks of validation (not of a test run), the deploy dialog says beforehand when nothing changed since
the current version, the element list names the lanes as the panel does (Klient / BOK / System), and the
panel's tooltips are Polish."""

from __future__ import annotations

import pytest

from tests.browser.test_editor_walk14 import MODELER, click_and_wait, open_editor, select_element
from tests.workflows_versions.helpers import REJECT_WAITS_XML, RELABELLED_XML

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "payment_date_change"
VIEW = f"""() => {{
  const box = {MODELER}.get('canvas').viewbox();
  return {{inner: box.inner, outer: {{x: box.x, y: box.y, width: box.width, height: box.height}}}};
}}"""


def upload(page, tmp_path, xml: str, name: str = "edited.bpmn") -> None:
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    page.set_input_files("#upload-flow", str(path))
    page.locator("#editor-result.ok").wait_for()


@pytest.mark.parametrize("process", ["payment_date_change", "complaint"])
def test_the_editor_opens_with_the_whole_diagram_in_view(page, analyst, process):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_editor(page, analyst, process)

    view = page.evaluate(VIEW)

    # the right edge (the last stage) is not cut off before "Fit to screen" is pressed
    inner, outer = view["inner"], view["outer"]
    assert inner["x"] >= outer["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1, view
    assert inner["y"] >= outer["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1, view


def test_validate_names_itself_when_the_test_run_fails(page, analyst, tmp_path):
    open_editor(page, analyst, KEY)
    upload(page, tmp_path, REJECT_WAITS_XML)

    click_and_wait(page, "#validate-flow")

    said = page.locator("#editor-result.bad > p").first.inner_text()
    assert said.startswith("Sprawdzenie poprawności nie powiodło się"), said
    assert "Przebieg testowy nie powiódł się" not in said


def test_the_deploy_dialog_says_beforehand_that_nothing_changed(page, analyst, tmp_path):
    open_editor(page, analyst, KEY)

    # the diagram as deployed: the dialog says so and offers no deploy
    page.click("#deploy-flow")
    dialog = page.locator("#deploy-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("h2").inner_text() == "Nie ma czego wdrażać"
    assert "Nic się nie zmieniło od wersji 1, bieżącej" in dialog.inner_text()
    assert page.locator("#deploy-confirm").is_disabled()
    page.click("#deploy-cancel")
    dialog.wait_for(state="hidden")

    # an edited diagram: the usual confirmation, which deploys
    upload(page, tmp_path, RELABELLED_XML)
    page.click("#deploy-flow")
    dialog.wait_for(state="visible")
    assert dialog.locator("h2").inner_text() == "Wdrożyć ten diagram jako nową wersję?"
    assert page.locator("#deploy-confirm").is_enabled()
    page.click("#deploy-confirm")
    page.wait_for_function(
        "() => document.getElementById('flow-editor').getAttribute('aria-busy') === 'false'"
    )
    page.locator("#editor-result.ok").wait_for()
    assert "Wdrożono jako wersję 2." in page.locator("#editor-result").inner_text()


def test_the_element_list_and_the_panel_name_the_lanes_alike(page, analyst):
    open_editor(page, analyst, KEY)

    options = page.locator("#element-select option").all_text_contents()
    review = page.locator("#element-select option[value='staff_review']").inner_text()

    assert review.endswith("tor BOK"), review
    assert page.locator("#element-select option[value='lane_client']").inner_text().startswith("Klient")
    assert not [text for text in options if "Client" in text or "Staff" in text], options
    select_element(page, "staff_review")
    assert "(tor BOK)" in page.locator("#properties-panel").inner_text()


def test_the_panels_tooltips_are_polish(page, analyst):
    open_editor(page, analyst, KEY)
    select_element(page, "staff_review")

    titles = page.locator("#properties-panel .bio-properties-panel-group-header-button").evaluate_all(
        "buttons => buttons.map(b => b.title)"
    )

    assert titles and set(titles) == {"Zwiń lub rozwiń sekcję"}, titles
