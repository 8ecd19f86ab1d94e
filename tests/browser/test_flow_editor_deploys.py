"""The flow editor's deploy as the analyst meets it: a copy of a version someone replaced meanwhile is
refused with ways to keep the edits (never a lost update), the confirmation names the requests a deploy
leaves on the current version, the page follows the deploy, keys act only on a focused diagram, and a file
in ISO-8859-2 opens with its Polish letters."""

from __future__ import annotations

import pytest

from tests.browser.test_flow_editor_safety import BPMN_DIR, MODELER, deploy_and_wait, name_of, open_editor
from tests.workflows_versions.helpers import ask_client
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "payment_date_change"
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")


def rename(page, element_id: str, name: str) -> None:
    page.evaluate(
        f"([id, name]) => {MODELER}.get('modeling').updateLabel({MODELER}.get('elementRegistry').get(id), name)",
        [element_id, name],
    )


def test_a_copy_of_a_version_replaced_meanwhile_is_refused_keeping_the_edits(page, analyst):
    # given the analyst editing version 1, and someone else deploying version 2 meanwhile
    errors = open_editor(page, analyst, KEY)
    deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena wniosku"), by=analyst)
    rename(page, "client_reply", "Odpowiedź klienta na pytania")

    # when they deploy their copy
    said = deploy_and_wait(page)

    # then nothing is deployed: the refusal names version 2 and offers to keep the diagram and open v2
    result = page.locator("#editor-result")
    assert "bad" in result.get_attribute("class")
    assert "Wersja 2 stała się bieżąca" in result.inner_text()
    page.get_by_role("button", name="Pobierz swój diagram").wait_for()
    opened = page.get_by_role("link", name="Otwórz wersję 2 w nowej karcie")
    assert opened.get_attribute("target") == "_blank"
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 2
    # and the edit is still here, unsaved
    assert name_of(page, "client_reply") == "Odpowiedź klienta na pytania"
    assert page.get_attribute("#flow-editor", "data-dirty") == "true"
    # (the confirmation said what a deploy leaves behind on the current version)
    assert "Na wersji 1, bieżącej, nie jest realizowany żaden wniosek." in said
    assert errors == []


def test_after_a_deploy_the_page_names_the_new_version_as_current(page, analyst):
    open_editor(page, analyst, KEY)
    rename(page, "staff_review", "Ocena")
    deploy_and_wait(page)
    assert "wersję 2" in page.locator("#editor-result").inner_text()

    # then the intro and the versions' list follow without a reload
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"editing-version\"]').textContent.includes('wersji 2')"
    )
    assert "(bieżąca)" in page.locator("[data-testid='version-box-2'] summary").inner_text()
    assert "(bieżąca)" not in page.locator("[data-testid='version-box-1'] summary").inner_text()
    # and a second edit deploys on top of it (its base is version 2 now), not refused
    rename(page, "staff_review", "Ocena BOK")
    deploy_and_wait(page)
    assert "wersję 3" in page.locator("#editor-result").inner_text()


def test_keys_act_on_the_diagram_only_while_it_has_the_focus(page, analyst):
    open_editor(page, analyst, KEY)
    # given a selected task
    page.evaluate(
        f"() => {MODELER}.get('selection').select({MODELER}.get('elementRegistry').get('staff_review'))"
    )
    x = page.evaluate(f"() => {MODELER}.get('elementRegistry').get('staff_review').x")

    # when the version select has the focus and ArrowDown is pressed, and Delete on a focused button
    page.focus("#version-select")
    page.keyboard.press("ArrowDown")
    page.focus("#fit-flow")
    page.keyboard.press("Delete")

    # then the task neither moved nor went
    assert page.evaluate(f"() => {MODELER}.get('elementRegistry').get('staff_review').x") == x
    assert page.get_attribute("#flow-editor", "data-dirty") == "false"
    # while the focused diagram (named for assistive technology) takes them
    assert page.get_attribute("#bpmn-canvas", "tabindex") == "0"
    page.focus("#bpmn-canvas")
    page.keyboard.press("Delete")
    assert page.evaluate(f"() => !{MODELER}.get('elementRegistry').get('staff_review')")


def test_a_file_in_iso_8859_2_opens_with_its_polish_letters(page, analyst, tmp_path):
    open_editor(page, analyst, KEY)
    text = PAYMENT_XML.replace('encoding="UTF-8"', 'encoding="ISO-8859-2"')
    assert 'encoding="ISO-8859-2"' in text
    latin2 = tmp_path / "latin2.bpmn"
    latin2.write_bytes(text.encode("iso-8859-2"))

    page.set_input_files("#upload-flow", str(latin2))
    page.locator("#editor-result.ok").wait_for()

    assert name_of(page, "staff_review") == "Weryfikacja przez BOK"
    assert "Odrzuć z uzasadnieniem" in page.evaluate(
        f"() => {MODELER}.saveXML({{format: false}}).then(r => r.xml)"
    )

    # and an encoding the browser does not know is refused in words
    unknown = tmp_path / "unknown.bpmn"
    unknown.write_bytes(text.replace("ISO-8859-2", "X-NIEZNANE").encode("iso-8859-2"))
    page.set_input_files("#upload-flow", str(unknown))
    page.locator("#editor-result.bad").wait_for()
    assert "X-NIEZNANE" in page.locator("#editor-result").inner_text()


def test_the_deploy_dialog_lists_the_requests_left_behind_and_cancel_deploys_nothing(
    page, analyst, api_as, client_user, bok_staff, acme_contract
):
    # given a request waiting for the client's reply on version 1, the current one
    ask_client(api_as, client_user, bok_staff, acme_contract)
    open_editor(page, analyst, KEY)
    rename(page, "staff_review", "Ocena")

    # when the analyst clicks Deploy
    page.click("#deploy-flow")
    dialog = page.get_by_role("dialog", name="Wdrożyć ten diagram jako nową wersję?")
    dialog.wait_for()

    # then the page's dialog names the request's step with its count
    assert "Na wersji 1, bieżącej, realizowany jest 1 wniosek, na tym etapie:" in dialog.inner_text()
    assert dialog.locator("ul.impact-tasks li").count() == 1
    assert dialog.locator("ul.impact-tasks li").inner_text().endswith(": 1")
    # in the singular: one request stays ("Pozostanie … go", not "Pozostaną … ich")
    assert "Pozostanie na wersji 1, dopóki ktoś go nie przeniesie" in dialog.inner_text()
    # and, the flow having no other version to move it to yet, where the way to move it appears after the
    # deploy instead of a link to a page with no version to choose (with two versions: test_analyst_walk34)
    assert (
        "po wdrożeniu pod edytorem pojawi się „Przenieś wnioski w toku na inną wersję”" in dialog.inner_text()
    )
    assert dialog.get_by_role("link", name="Przenieś wnioski w toku na inną wersję").count() == 0
    # the focus is on Cancel, not on the consequential button
    assert page.evaluate("() => document.activeElement.id") == "deploy-cancel"

    # when they cancel (then press Esc on a second try), nothing is deployed and the edit stays
    page.click("#deploy-cancel")
    page.click("#deploy-flow")
    dialog.wait_for()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    page.wait_for_timeout(300)
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 1
    assert page.get_attribute("#flow-editor", "data-dirty") == "true"
    assert page.evaluate("() => document.activeElement.id") == "deploy-flow"

    # when they confirm, version 2 is deployed and the result repeats where the request stays
    deploy_and_wait(page)
    assert "wersję 2" in page.locator("#editor-result").inner_text()
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 2


def test_the_palette_and_the_context_pad_speak_the_pages_language(page, analyst):
    open_editor(page, analyst, KEY)

    assert (
        page.get_attribute(".djs-palette .entry.bpmn-icon-hand-tool", "title")
        == "Przesuwanie widoku (rączka)"
    )
    assert page.get_attribute(".djs-palette .entry.bpmn-icon-task", "title") == "Dodaj zadanie"
    # the context pad of a selected task
    page.click("#bpmn-canvas .djs-element[data-element-id='staff_review']", position={"x": 6, "y": 6})
    page.locator(".djs-context-pad .entry[data-action='delete']").wait_for()
    assert page.get_attribute(".djs-context-pad .entry[data-action='delete']", "title") == "Usuń"
