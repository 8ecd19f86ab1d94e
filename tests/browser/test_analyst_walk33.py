"""The analyst's pages after walk 33: the editor reads the names of the diagram open and of another
version's XML with one reader (flow_editor.js elementNames), so a problem names an element the same way
whichever diagram it belongs to, also one no canvas draws (a message flow without its edge); and an
action of the toolbar that takes longer than a moment (a test run, a deploy: seconds) says it is working,
where before only the greyed buttons told."""

from __future__ import annotations

import pytest

from tests.browser.test_editor_walk14 import open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "payment_date_change"

# Two pools and a message flow between them that the diagram does not draw (no BPMNEdge), a lane, a task
# inside a sub-process and a named data input of the process's ioSpecification.
UNDRAWN_FLOW_XML = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  id="Defs" targetNamespace="http://example.com/walk33">
  <bpmn:collaboration id="Collab">
    <bpmn:participant id="Pool_a" name="Leasingodawca" processRef="Proc_a" />
    <bpmn:participant id="Pool_b" name="Klient" processRef="Proc_b" />
    <bpmn:messageFlow id="Flow_msg" name="Powiadomienie   klienta" sourceRef="Pool_a" targetRef="Pool_b" />
  </bpmn:collaboration>
  <bpmn:process id="Proc_a" isExecutable="true">
    <bpmn:ioSpecification id="Io_a">
      <bpmn:dataInput id="Input_a" name="Numer umowy" />
      <bpmn:inputSet id="Inputs_a"><bpmn:dataInputRefs>Input_a</bpmn:dataInputRefs></bpmn:inputSet>
      <bpmn:outputSet id="Outputs_a" />
    </bpmn:ioSpecification>
    <bpmn:laneSet id="Lanes_a"><bpmn:lane id="Lane_a" name="BOK" /></bpmn:laneSet>
    <bpmn:subProcess id="Sub_a" name="Weryfikacja">
      <bpmn:task id="Task_inner" name="Sprawdź dane" />
    </bpmn:subProcess>
  </bpmn:process>
  <bpmn:process id="Proc_b" isExecutable="false" />
  <bpmndi:BPMNDiagram id="Diagram">
    <bpmndi:BPMNPlane id="Plane" bpmnElement="Collab">
      <bpmndi:BPMNShape id="Pool_a_di" bpmnElement="Pool_a" isHorizontal="true">
        <dc:Bounds x="100" y="80" width="600" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Pool_b_di" bpmnElement="Pool_b" isHorizontal="true">
        <dc:Bounds x="100" y="340" width="600" height="120" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""

NAMES = {
    "Pool_a": "Leasingodawca",
    "Pool_b": "Klient",
    "Flow_msg": "Powiadomienie klienta",
    "Input_a": "Numer umowy",
    "Lane_a": "BOK",
    "Sub_a": "Weryfikacja",
    "Task_inner": "Sprawdź dane",
}


def test_the_open_diagram_and_another_versions_xml_are_named_by_one_reader(page, analyst):
    errors = open_editor(page, analyst, KEY)
    page.evaluate("xml => window.PortalFlowEditor.importDiagram(xml, null)", UNDRAWN_FLOW_XML)

    # the open diagram's tree and the same file's XML give the same names, whatever element holds them
    names = page.evaluate(
        """xml => {
          var editor = window.PortalFlowEditor;
          var open = editor.elementNames(editor.modeler.getDefinitions());
          return editor.elementNamesOfXml(xml).then(function (read) { return { open: open, read: read }; });
        }""",
        UNDRAWN_FLOW_XML,
    )
    assert names["open"] == NAMES
    assert names["read"] == NAMES
    # an XML that cannot be read names nothing (the problems keep their ids)
    assert page.evaluate("() => window.PortalFlowEditor.elementNamesOfXml('<not bpmn')") == {}
    assert errors == []


def test_a_problem_of_a_message_flow_no_edge_draws_names_it(page, analyst):
    open_editor(page, analyst, KEY)
    page.evaluate("xml => window.PortalFlowEditor.importDiagram(xml, null)", UNDRAWN_FLOW_XML)

    page.evaluate("() => window.PortalFlowEditor.show('bad', 'Nie', { Flow_msg: ['Brak odbiorcy.'] })")

    item = page.locator("#editor-result ul.error-items li").first
    assert item.inner_text() == "Powiadomienie klienta: Brak odbiorcy."
    assert item.locator("strong.element-name").get_attribute("title") == "Flow_msg"
    assert page.locator("#editor-result code").count() == 0


def in_sight(page, selector: str) -> bool:
    return page.evaluate(
        """selector => {
          var box = document.querySelector(selector).getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


@pytest.mark.parametrize(
    ("language", "width", "working"),
    [
        ("pl", 1280, "Trwa przetwarzanie… może to potrwać kilka sekund."),
        ("en", 375, "Working on it… this can take a few seconds."),
    ],
)
def test_a_long_test_run_says_it_is_working_in_sight_until_its_answer(
    page, analyst, language, width, working
):
    page.set_viewport_size({"width": width, "height": 800})
    analyst.language = language
    analyst.save(update_fields=["language"])
    open_editor(page, analyst, KEY)
    progress = page.locator("[data-testid='editor-progress']")
    assert progress.is_hidden()
    page.locator("#test-flow").scroll_into_view_if_needed()  # on a phone the toolbar's top, far above
    # the test run's request held back until the page has been looked at
    held = []
    page.route("**/api/workflows/test-run/", lambda route: held.append(route))

    page.click("#test-flow")

    progress.wait_for(state="visible")
    assert progress.inner_text() == working
    assert in_sight(page, "[data-testid='editor-progress']")
    held[0].continue_()
    page.locator("#editor-result.ok, #editor-result.bad").wait_for()
    progress.wait_for(state="hidden")


def test_the_flow_lists_buttons_keep_their_words_together_on_a_wide_screen(browser, asgi_server, analyst):
    # at 1,280 px the actions column was 10rem: "Otwórz w edytorze" broke into two lines and "Wersje, testy i
    # przywracanie" into three or four, each row as tall as four lines of text
    from tests.browser.test_staff_inbox import open_as
    from workflows.services import get_current_version

    get_current_version(KEY)
    context, page = open_as(browser, asgi_server, analyst, "/analyst/flows/")
    try:
        heights = page.eval_on_selector_all(
            ".flow-actions .button",
            "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().height,"
            " parseFloat(getComputedStyle(e).lineHeight)])",
        )
        assert heights
        for text, height, line in heights:
            lines = round((height - 8) / line)  # the button's padding and border: about 8 px
            assert lines <= (1 if text.startswith("Otwórz") else 2), (text, height, line)
    finally:
        context.close()
