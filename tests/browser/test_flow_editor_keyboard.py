"""The flow editor for an analyst on the keyboard alone: an element is chosen from a list or with N / P on
the diagram and edited in the properties panel, a task is appended and a flow drawn without the mouse;
the file buttons show the focus where it is; the focus stays on a pressed toolbar button; the bpmn.io logo
stays but out of the Tab order; a deploy says which requests stay behind."""

from __future__ import annotations

import pytest

from tests.browser.test_flow_editor_safety import MODELER, deploy_and_wait, idle, open_editor
from tests.workflows_versions.helpers import ask_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "payment_date_change"


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id")


def focus_in_panel(page) -> bool:
    return page.evaluate("() => document.getElementById('properties-panel').contains(document.activeElement)")


def selected(page) -> list[str]:
    return page.evaluate(f"() => {MODELER}.get('selection').get().map(e => e.id)")


def test_an_element_is_chosen_and_edited_with_the_keyboard_alone(page, analyst):
    errors = open_editor(page, analyst, KEY)

    # when the analyst chooses the staff's review in the element list and presses "Edit properties"
    select = page.get_by_role("combobox", name="Elementy diagramu")
    option = select.locator("option[value=staff_review]")
    assert option.inner_text() == "Weryfikacja przez BOK — Zadanie użytkownika — tor BOK"
    select.focus()
    select.select_option("staff_review")
    assert selected(page) == ["staff_review"]
    page.keyboard.press("Tab")
    assert focused(page) == "element-edit"
    page.keyboard.press("Enter")

    # then the focus is in the panel, on a field of the review
    assert focus_in_panel(page)
    assert (
        "Weryfikacja przez BOK" in page.locator("#properties-panel .bio-properties-panel-header").inner_text()
    )

    # when they go back to the diagram: N and P walk the list's elements, said by a status line
    page.focus("#bpmn-canvas")
    page.keyboard.press("n")
    walked = selected(page)
    assert len(walked) == 1 and walked != ["staff_review"]
    page.keyboard.press("p")
    assert selected(page) == ["staff_review"]
    assert "Weryfikacja przez BOK" in page.locator("#selection-status").inner_text()
    page.keyboard.press("Shift+N")
    page.keyboard.press("n")
    assert selected(page) == ["staff_review"]
    # and Enter takes the focus to the properties of the one selected
    page.keyboard.press("Enter")
    assert focus_in_panel(page)

    # when they append an end event after the review and connect the gateway to it, by the toolbar
    select.select_option("staff_review")
    page.select_option("#append-type", "bpmn:EndEvent")
    page.focus("#element-append")
    page.keyboard.press("Enter")
    appended = selected(page)
    assert len(appended) == 1
    incoming = page.evaluate(
        f"id => {MODELER}.get('elementRegistry').get(id).incoming.map(f => f.source.id)", appended[0]
    )
    assert (
        page.evaluate(f"id => {MODELER}.get('elementRegistry').get(id).type", appended[0]) == "bpmn:EndEvent"
    )
    assert incoming == ["staff_review"]
    select.select_option("decision_gateway")
    page.select_option("#connect-target", appended[0])
    page.focus("#element-connect")
    page.keyboard.press("Enter")
    sources = page.evaluate(
        f"id => {MODELER}.get('elementRegistry').get(id).incoming.map(f => f.source.id).sort()", appended[0]
    )
    assert sources == ["decision_gateway", "staff_review"]
    assert page.get_attribute("#flow-editor", "data-dirty") == "true"
    assert errors == []


def test_the_panel_speaks_polish_and_names_each_fold_button(page, analyst):
    open_editor(page, analyst, KEY)

    # when everything is selected (Ctrl+A on the diagram), the panel says so in Polish
    page.focus("#bpmn-canvas")
    page.keyboard.press("Control+a")
    panel = page.locator("#properties-panel")
    panel.get_by_text("Zaznaczono kilka elementów").wait_for()
    assert "Multiple elements" not in panel.inner_text()

    # with one element selected, each group's fold button names its group and says whether it is open
    page.select_option("#element-select", "staff_review")
    buttons = panel.locator("button.bio-properties-panel-arrow")
    buttons.first.wait_for()
    names = [buttons.nth(i).get_attribute("aria-label") for i in range(buttons.count())]
    assert len(names) > 1 and len(set(names)) == len(names)
    assert all(name.startswith("Zwiń lub rozwiń sekcję: ") for name in names)
    assert {buttons.nth(i).get_attribute("aria-expanded") for i in range(buttons.count())} <= {
        "true",
        "false",
    }


def test_the_bpmn_io_logo_stays_but_is_not_between_the_diagram_and_its_panel(page, analyst):
    open_editor(page, analyst, KEY)
    page.select_option("#element-select", "staff_review")

    # the logo is still drawn on the canvas (its licence), and the page links to bpmn.io after the editor
    logo = page.locator("#bpmn-canvas a.bjs-powered-by")
    assert logo.is_visible()
    assert page.locator(".modeler-credit a[href='https://bpmn.io']").is_visible()

    # when the analyst tabs out of the diagram and its palette, the next stop is the panel, not the logo
    page.focus("#bpmn-canvas")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.djs-palette') !== null")
    page.keyboard.press("Tab")
    assert focus_in_panel(page)


def outline(page, selector: str) -> str:
    return page.evaluate(f"() => getComputedStyle(document.querySelector({selector!r})).outlineStyle")


def test_a_file_button_shows_the_focus_on_itself_without_moving_the_page(page, analyst):
    open_editor(page, analyst, KEY)

    # when the analyst tabs from "Download BPMN" to the BPMN file input
    page.focus("#download-flow")
    page.keyboard.press("Tab")
    assert focused(page) == "upload-flow"

    # then its own label shows the ring, not the next button
    assert outline(page, "label[for=upload-flow]") == "solid"
    assert outline(page, "#fit-flow") == "none"

    # when they tab to the DMN file input further down, the page stays where the label is
    page.locator("#dmn-tables").scroll_into_view_if_needed()
    page.focus("#dmn-tables h2")
    page.evaluate("() => document.querySelector('#dmn-tables h2').setAttribute('tabindex', '-1')")
    page.focus("#dmn-tables h2")
    page.keyboard.press("Tab")
    assert focused(page) == "upload-dmn"
    assert outline(page, "label[for=upload-dmn]") == "solid"
    label = page.locator("label[for=upload-dmn]").bounding_box()
    box = page.locator("#upload-dmn").bounding_box()
    assert label["x"] <= box["x"] <= label["x"] + label["width"]
    assert label["y"] <= box["y"] <= label["y"] + label["height"]
    assert 0 <= label["y"] <= page.viewport_size["height"]


def test_the_focus_stays_on_the_pressed_button_and_a_deploy_names_what_stays(
    page, analyst, api_as, client_user, bok_staff, acme_contract
):
    # given a request waiting on version 1, the current one
    ask_client(api_as, client_user, bok_staff, acme_contract)
    open_editor(page, analyst, KEY)

    # when the analyst presses Validate, then Test run, with the keyboard
    for button in ("validate-flow", "test-flow"):
        page.evaluate("() => { document.getElementById('editor-result').className = 'editor-result'; }")
        page.focus(f"#{button}")
        page.keyboard.press("Enter")
        page.wait_for_selector("#editor-result.ok, #editor-result.bad")
        idle(page)
        # then the focus is back on that button, not on the page's start
        assert focused(page) == button

    # when they deploy (an edit first, then the dialog's Deploy)
    page.evaluate(
        f"() => {MODELER}.get('modeling').updateLabel({MODELER}.get('elementRegistry').get('staff_review'), 'Ocena')"
    )
    page.focus("#deploy-flow")
    deploy_and_wait(page)

    # then the focus is on Deploy again, and the result says which request stays on version 1
    assert focused(page) == "deploy-flow"
    said = page.locator("#editor-result").inner_text()
    assert "Wdrożono jako wersję 2." in said
    assert "1 wniosek (" in said and "pozostaje na wersji 1, dopóki ktoś go nie przeniesie" in said
