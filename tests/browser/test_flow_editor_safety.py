"""The flow editor keeps an analyst from losing or misplacing work: another flow's file is refused on this
flow's page, an unchanged diagram is not deployed twice, unsaved edits are not dropped silently, files
too large or unreadable are refused in words, and the diagram opens readable beside the palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import log_in
from workflows.models import ProcessVersion
from workflows.services import MAX_BPMN_CHARS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BPMN_DIR = Path(settings.BASE_DIR) / "bpmn"
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
MODELER = "document.getElementById('flow-editor').modeler"


def open_editor(page, analyst, process: str, *, logged_in: bool = False):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if not logged_in:
        log_in(page, analyst)
    page.goto(f"/analyst/flows/{process}/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")
    page.wait_for_function("() => document.querySelector('#version-select').options.length > 0")
    return errors


def idle(page) -> None:
    page.wait_for_function(
        "() => document.getElementById('flow-editor').getAttribute('aria-busy') === 'false'"
    )


def click_and_wait(page, selector: str) -> None:
    page.click(selector)
    idle(page)
    page.wait_for_selector("#editor-result.ok, #editor-result.bad")


def deploy_and_wait(page) -> str:
    """Click Deploy, confirm in the page's dialog, wait for the answer; return what the dialog said."""
    page.click("#deploy-flow")
    dialog = page.locator("#deploy-dialog")
    dialog.wait_for(state="visible")
    said = dialog.inner_text()
    click_and_wait(page, "#deploy-confirm")
    return said


def name_of(page, element_id: str) -> str:
    return page.evaluate(f"id => {MODELER}.get('elementRegistry').get(id).businessObject.name", element_id)


def test_another_flows_file_is_refused_on_this_flows_page(page, analyst, tmp_path):
    # given the payment day flow's editor with the complaint flow's (valid) file opened in it
    errors = open_editor(page, analyst, "payment_date_change")
    ProcessVersion.objects.get(process_key="complaint")  # deployed at set-up
    page.set_input_files("#upload-flow", str(BPMN_DIR / "complaint.bpmn"))
    page.locator("#editor-result.ok").wait_for()

    # when the analyst validates it
    click_and_wait(page, "#validate-flow")

    # then it is refused naming both flows
    result = page.locator("#editor-result")
    assert "bad" in result.get_attribute("class")
    assert "complaint" in result.inner_text() and "payment_date_change" in result.inner_text()

    # and deploying it is refused too: no new version of either flow
    deploy_and_wait(page)
    assert "bad" in result.get_attribute("class")
    assert ProcessVersion.objects.filter(process_key="complaint").count() == 1
    assert ProcessVersion.objects.filter(process_key="payment_date_change").count() == 1
    assert errors == []


def test_deploying_the_unchanged_diagram_says_it_is_already_deployed(page, analyst):
    open_editor(page, analyst, "client_data_change")

    # when the analyst deploys without editing anything
    page.click("#deploy-flow")
    dialog = page.locator("#deploy-dialog")
    dialog.wait_for(state="visible")

    # then the dialog already says it is version 1 (session 27: before, not after confirming), offers no
    # deploy, and no version 2 exists
    assert "Nic się nie zmieniło od wersji 1, bieżącej" in dialog.inner_text()
    assert page.locator("#deploy-confirm").is_disabled()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert ProcessVersion.objects.filter(process_key="client_data_change").count() == 1


def test_every_shipped_flow_as_the_editor_writes_it_is_the_same_content(page, analyst):
    # (what the duplicate check compares: canonical_xml must see through bpmn-js's serialization)
    from workflows.version_content import canonical_xml

    log_in(page, analyst)
    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        open_editor(page, analyst, path.stem, logged_in=True)
        written = page.evaluate(f"() => {MODELER}.saveXML({{format: true}}).then(r => r.xml)")

        assert canonical_xml(written) == canonical_xml(path.read_text(encoding="utf-8")), path.stem


def test_unsaved_edits_are_not_replaced_or_left_without_asking(page, analyst):
    open_editor(page, analyst, "payment_date_change")
    assert page.get_attribute("#flow-editor", "data-dirty") == "false"
    dialogs: list[tuple[str, str]] = []

    def dismiss(dialog) -> None:
        dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    # given a renamed task (the click on the canvas is the user's gesture a leave prompt needs)
    page.click("#bpmn-canvas .djs-element[data-element-id='staff_review']", position={"x": 6, "y": 6})
    page.evaluate(
        f"() => {MODELER}.get('modeling').updateLabel({MODELER}.get('elementRegistry').get('staff_review'), 'Nowa nazwa')"
    )
    assert page.get_attribute("#flow-editor", "data-dirty") == "true"
    page.on("dialog", dismiss)

    # when they open a version, then a file, and refuse to lose the edit each time
    page.click("#open-version")
    page.set_input_files("#upload-flow", str(BPMN_DIR / "payment_date_change.bpmn"))
    page.wait_for_timeout(300)

    # then they were asked twice and the edit is still there
    assert [kind for kind, _ in dialogs] == ["confirm", "confirm"]
    assert "niezapisane zmiany" in dialogs[0][1]
    assert name_of(page, "staff_review") == "Nowa nazwa"

    # when they follow the breadcrumb, the browser asks before leaving; staying keeps the page
    page.click(".crumbs a")
    page.wait_for_timeout(500)
    assert dialogs[-1][0] == "beforeunload"
    assert page.url.endswith("/analyst/flows/payment_date_change/")
    assert name_of(page, "staff_review") == "Nowa nazwa"

    # when they accept opening the deployed version, the edit is gone and leaving asks nothing
    page.remove_listener("dialog", dismiss)
    page.once("dialog", lambda dialog: dialog.accept())
    click_and_wait(page, "#open-version")
    assert name_of(page, "staff_review") != "Nowa nazwa"
    assert page.get_attribute("#flow-editor", "data-dirty") == "false"
    page.on("dialog", dismiss)
    count = len(dialogs)
    with page.expect_navigation():
        page.click(".crumbs a")
    assert len(dialogs) == count


def test_a_successful_deploy_leaves_nothing_unsaved(page, analyst):
    open_editor(page, analyst, "payment_date_change")
    page.click("#bpmn-canvas .djs-element[data-element-id='staff_review']", position={"x": 6, "y": 6})
    page.evaluate(
        f"() => {MODELER}.get('modeling').updateLabel({MODELER}.get('elementRegistry').get('staff_review'), 'Ocena')"
    )
    deploy_and_wait(page)
    assert "wersję 2" in page.locator("#editor-result").inner_text()
    assert page.get_attribute("#flow-editor", "data-dirty") == "false"

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with page.expect_navigation():
        page.click(".crumbs a")
    assert dialogs == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(page, analyst, tmp_path):
    # given a valid diagram padded beyond the limit
    big = tmp_path / "duzy.bpmn"
    padding = "<!--" + "x" * (MAX_BPMN_CHARS + 1000) + "-->"
    big.write_text(PAYMENT_XML.replace("Weryfikacja przez BOK", "Z dużego pliku") + padding, encoding="utf-8")
    open_editor(page, analyst, "payment_date_change")

    page.set_input_files("#upload-flow", str(big))

    # then the page says so in Polish, with the limit in MB, and the diagram shown is unchanged
    page.locator("#editor-result.bad").wait_for()
    text = page.locator("#editor-result").inner_text()
    assert "duzy.bpmn" in text and "za duży" in text and "2 MB" in text
    assert "bpmn_xml" not in text
    assert page.locator("#bpmn-canvas", has_text="Z dużego pliku").count() == 0


def test_an_unreadable_file_is_explained_in_polish_with_its_line(page, analyst, tmp_path):
    broken = tmp_path / "malformed.bpmn"
    broken.write_text(PAYMENT_XML.replace("</bpmn:conditionExpression>", "", 1), encoding="utf-8")
    open_editor(page, analyst, "payment_date_change")

    page.set_input_files("#upload-flow", str(broken))

    page.locator("#editor-result.bad").wait_for()
    sentence = page.locator("#editor-result > p").inner_text()
    assert sentence.startswith("Plik malformed.bpmn nie jest czytelnym diagramem BPMN (wiersz ")
    assert "unparsable" not in sentence and "nested error" not in sentence
    # the parser's own words only in the folded technical detail
    detail = page.locator("#editor-result details.technical-detail")
    assert detail.count() == 1 and not detail.locator("pre").is_visible()
    assert page.locator("#bpmn-canvas [data-element-id='staff_review']").count() == 1


PALETTE_AND_POOL = f"""() => {{
  const modeler = {MODELER};
  const palette = document.querySelector('#bpmn-canvas .djs-palette').getBoundingClientRect();
  const pools = modeler.get('elementRegistry').filter(e => e.type === 'bpmn:Participant' || e.type === 'bpmn:Lane');
  const left = Math.min(...pools.map(p => modeler.get('elementRegistry').getGraphics(p).getBoundingClientRect().left));
  return {{paletteRight: palette.right, poolLeft: left, zoom: modeler.get('canvas').zoom()}};
}}"""


@pytest.mark.parametrize("process", ["payment_date_change", "complaint"])
def test_the_diagram_opens_beside_the_palette_and_whole(page, analyst, process):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_editor(page, analyst, process)

    found = page.evaluate(PALETTE_AND_POOL)

    # the pool's and lanes' names are not under the palette; the whole flow is shown (session 27), not
    # below the overview's zoom
    assert found["poolLeft"] >= found["paletteRight"], found
    assert found["zoom"] >= 0.3, found


def test_editor_test_run_names_a_not_applicable_path_as_the_versions_page(page, analyst):
    open_editor(page, analyst, "complaint")

    click_and_wait(page, "#test-flow")

    skipped = page.locator("#editor-result .test-path.skipped")
    assert skipped.count() >= 1
    assert "Nie dotyczy" in skipped.first.inner_text()
    assert "Pominięta" not in page.locator("#editor-result").inner_text()


def test_properties_panel_speaks_polish_and_shows_the_whole_form(page, analyst):
    # (one of the longest form keys: contract_value_change/staff_review)
    page.set_viewport_size({"width": 1280, "height": 900})
    open_editor(page, analyst, "contract_value_change")
    page.click("#bpmn-canvas .djs-element[data-element-id='staff_review']", position={"x": 6, "y": 6})
    page.wait_for_selector("#properties-panel [data-entry-id='portal-formKey'] select")

    header = page.locator("#properties-panel .bio-properties-panel-header-type").text_content()
    groups = page.locator("#properties-panel .bio-properties-panel-group-header-title").all_text_contents()
    assert header == "Zadanie użytkownika"
    assert "Ogólne" in groups and "General" not in groups and "Documentation" not in groups

    # the form's select shows its whole value (or says it on hover)
    select = page.locator("#properties-panel [data-entry-id='portal-formKey'] select")
    fits = select.evaluate(
        """s => {
          const c = document.createElement('canvas').getContext('2d');
          const style = getComputedStyle(s);
          c.font = style.fontSize + ' ' + style.fontFamily;
          const text = s.options[s.selectedIndex].text;
          const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return {fits: c.measureText(text).width <= room, title: s.title, text};
        }"""
    )
    assert fits["fits"], fits
    assert fits["title"] == fits["text"] == "Weryfikacja wniosku"
    # (named by its title; its key is said below the select)
    assert "contract_value_change/staff_review" in (
        page.locator(
            "#properties-panel [data-entry-id='portal-formKey'] .bio-properties-panel-description"
        ).inner_text()
    )


def test_undoing_back_to_the_saved_diagram_leaves_nothing_unsaved(page, analyst):
    open_editor(page, analyst, "payment_date_change")
    page.click("#bpmn-canvas .djs-element[data-element-id='staff_review']", position={"x": 6, "y": 6})
    page.evaluate(
        f"() => {MODELER}.get('modeling').updateLabel({MODELER}.get('elementRegistry').get('staff_review'), 'Nowa nazwa')"
    )
    page.wait_for_selector("#flow-editor[data-dirty='true']")

    # when the analyst undoes the rename with the keyboard
    page.keyboard.press("Control+z")

    # then the diagram is the one shown again: nothing unsaved, and leaving asks nothing
    page.wait_for_selector("#flow-editor[data-dirty='false']")
    assert name_of(page, "staff_review") == "Weryfikacja przez BOK"
    # (redoing it is an edit again)
    page.keyboard.press("Control+y")
    page.wait_for_selector("#flow-editor[data-dirty='true']")
    page.keyboard.press("Control+z")
    page.wait_for_selector("#flow-editor[data-dirty='false']")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with page.expect_navigation():
        page.click(".crumbs a")
    assert dialogs == []


def test_after_a_rollback_the_editor_opens_the_current_version_and_names_the_newer_one(page, analyst):
    from workflows import rollback
    from workflows.services import deploy_bpmn_version

    # given version 2 deployed (current), then version 1 current again
    v2 = deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    v1 = ProcessVersion.objects.get(process_key="payment_date_change", number=1)
    rollback.rollback(version=v1, by=analyst, reason="v2 ma złą etykietę")

    # when the analyst opens the editor
    open_editor(page, analyst, "payment_date_change")
    page.wait_for_function("() => document.querySelector('#version-select').options.length === 2")

    # then it shows version 1, chosen in the list as current, with version 2 named newer and not current
    assert name_of(page, "staff_review") == "Weryfikacja przez BOK"
    options = page.eval_on_selector_all(
        "#version-select option", "os => os.map(o => [o.value, o.textContent])"
    )
    assert options == [[str(v2.pk), "v2 · nowsza, nie bieżąca"], [str(v1.pk), "v1 · bieżąca"]]
    assert page.input_value("#version-select") == str(v1.pk)
