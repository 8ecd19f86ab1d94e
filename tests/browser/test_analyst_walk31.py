"""The flow editor after the analyst walk of session 31: a rollback refused by its test run marks its
problems on that version's diagram, never on another one open in the editor; the heatmap is always of the
diagram open (the Version list only chooses what to open); an editor whose current version cannot be drawn
says what to do next; and the diagram is fitted again when its canvas changes size, not only the window."""

from __future__ import annotations

import pytest

from tests.browser.test_analyst_walk30 import answer_prompts
from tests.browser.test_analyst_walk30b import DRAWN, whole_in_view
from tests.browser.test_editor_walk14 import MODELER, open_editor
from tests.portal_ui.test_flow_migration import submit_request
from tests.workflows.test_services import MINIMAL_V2, PAYMENT_XML, store_untested_version
from workflows import versioning
from workflows.services import get_current_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "payment_date_change"
BUSY_DONE = "() => document.getElementById('flow-editor').getAttribute('aria-busy') === 'false'"
MARKED = f"() => [...{MODELER}.get('elementRegistry').getAll()].filter(e => {MODELER}.get('canvas').hasMarker(e.id, 'has-error')).map(e => e.id)"


def failing_drawable_version():
    """Version 2: the shipped diagram (drawn in full) whose approval ends as rejected, so its test run
    fails at an end event both versions have."""
    xml = PAYMENT_XML.replace(
        '<spiffworkflow:property name="outcome" value="approved" />',
        '<spiffworkflow:property name="outcome" value="rejected" />',
    )
    v2 = store_untested_version(xml)
    v2.checksum = "untested: approval ends rejected"  # parsed specs are cached by (id, checksum)
    v2.save(update_fields=["checksum"])
    return v2


def test_a_refused_rollback_marks_its_problems_on_its_own_diagram_only(page, analyst):
    get_current_version(KEY)
    v2 = failing_drawable_version()
    errors = open_editor(page, analyst, KEY)
    page.wait_for_function("() => document.querySelector('#version-select').options.length > 1")
    answer_prompts(page, "Powrót do 2")

    # when the analyst, with version 1 open, makes version 2 current and its test run refuses it
    page.select_option("#version-select", str(v2.pk))
    page.click("#rollback-version")
    page.wait_for_function(BUSY_DONE)
    result = page.locator("#editor-result.bad")
    result.wait_for()

    # then nothing is marked on version 1's diagram, and the refusal says whose diagram the problems are in
    assert page.evaluate(MARKED) == []
    assert (
        "Poniższe problemy dotyczą diagramu wersji 2, a nie diagramu otwartego tutaj:" in result.inner_text()
    )
    assert result.locator("ul.error-items li").count() >= 1
    assert result.locator("ul.error-items button").count() == 0  # nothing to locate on this drawing

    # when they open version 2 from the refusal
    page.click("[data-testid='open-refused-version']")
    page.wait_for_function(BUSY_DONE)
    page.wait_for_function("() => (window.PortalFlowEditor.openVersion || {}).number === 2")

    # then the problems are marked on version 2's diagram and each one selects its element
    assert page.evaluate(MARKED) == ["request_approved"], result.inner_text()
    assert result.locator("ul.error-items button").count() >= 1
    assert errors == []


def test_the_heatmap_stays_on_the_version_open_when_another_cannot_be_drawn(page, analyst, client_user, acme):
    # given two requests at the staff review on version 1, and version 2 (no layout, no requests)
    submit_request(client_user, acme, 1)
    submit_request(client_user, acme, 2)
    v2 = store_untested_version(MINIMAL_V2)
    versioning.make_current(version=get_current_version(KEY), action=versioning.Activation.ROLLBACK)
    open_editor(page, analyst, KEY)
    page.wait_for_function("() => document.querySelector('#version-select').options.length > 1")
    page.click("#toggle-heatmap")
    badge = page.locator(".heat-badge[data-element-id='staff_review']")
    badge.wait_for()

    # when the analyst chooses version 2 and it cannot be drawn
    page.select_option("#version-select", str(v2.pk))
    page.click("#open-version")
    page.wait_for_function(BUSY_DONE)
    page.locator("#editor-result.bad").wait_for()
    page.wait_for_timeout(300)  # a heatmap of version 2 would be asked for and painted by now

    # then version 1's diagram still carries version 1's counts, and the summary says which version
    assert badge.get_attribute("data-running") == "2"
    summary = page.locator("#heatmap-summary").inner_text()
    assert summary.startswith("Wersja 1: 2 wnioski w toku"), summary
    assert "Aby zobaczyć mapę cieplną wersji 2, naciśnij Otwórz w edytorze." in summary


def test_an_editor_without_a_drawable_diagram_says_what_to_do_next(page, analyst):
    # given the current version is one whose file has no layout
    get_current_version(KEY)
    v2 = store_untested_version(MINIMAL_V2)
    versioning.make_current(version=v2, action=versioning.Activation.ROLLBACK)
    from tests.browser.conftest import log_in

    log_in(page, analyst)
    page.goto(f"/analyst/flows/{KEY}/")

    # then the page says it could not be drawn and offers the ways on: a file, the versions' page
    result = page.locator("#editor-result.bad")
    result.wait_for()
    step = result.locator("[data-testid='import-next-step']")
    assert "wybierz wersję w polu Wersja i naciśnij Otwórz w edytorze" in step.inner_text()
    assert step.locator("a").get_attribute("href") == f"/analyst/flows/{KEY}/versions/"
    with page.expect_file_chooser() as chooser:
        step.locator("button").click()
    assert chooser.value is not None
    # the library's words stay folded, last
    assert result.locator(":scope > *").last.evaluate("e => e.tagName") == "DETAILS"


def test_the_diagram_is_fitted_again_when_its_canvas_narrows(page, analyst):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_editor(page, analyst, KEY)
    assert whole_in_view(page), page.evaluate(DRAWN)

    # when the panel beside the canvas widens (the window stays as it was)
    page.evaluate(
        "() => { document.querySelector('.modeler-layout').style.gridTemplateColumns = 'minmax(0, 1fr) 36rem'; }"
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_timeout(100)

    # then the whole diagram is in view again
    assert whole_in_view(page), page.evaluate(DRAWN)


def test_a_canvas_resize_keeps_the_view_the_analyst_zoomed_to(page, analyst):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_editor(page, analyst, KEY)
    page.evaluate(f"() => {MODELER}.get('canvas').zoom(1.2)")

    page.evaluate(
        "() => { document.querySelector('.modeler-layout').style.gridTemplateColumns = 'minmax(0, 1fr) 36rem'; }"
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")

    assert page.evaluate(f"() => {MODELER}.get('canvas').viewbox().scale") == pytest.approx(1.2)


IN_VIEW = """() => { const box = document.getElementById('editor-result').getBoundingClientRect();
  return box.height > 0 && box.top >= -1 && box.bottom <= window.innerHeight + 1; }"""


def test_on_a_phone_the_answer_to_a_button_is_scrolled_into_sight(page, analyst):
    page.set_viewport_size({"width": 375, "height": 800})
    open_editor(page, analyst, KEY)
    page.locator("#validate-flow").scroll_into_view_if_needed()

    # when the analyst validates the diagram (the toolbars fill the first screen)
    page.click("#validate-flow")
    page.wait_for_function(BUSY_DONE)
    page.locator("#editor-result.ok").wait_for()

    # then the answer is on the screen, not below it, and the button keeps the keyboard's focus
    page.wait_for_function(IN_VIEW)
    assert page.evaluate("() => document.activeElement.id") == "validate-flow"
