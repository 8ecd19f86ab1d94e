"""The modeler's palette for an analyst on the keyboard alone: Tab reaches it after the diagram, its entries
are buttons named in Polish with a visible focus, and Enter creates the element (in the middle of the view,
or in the lane chosen), selects it for the element list and the diagram's keys, and the diagram sent to
Validate holds it."""

from __future__ import annotations

import json

import pytest

from tests.browser.a11y import axe_source
from tests.browser.test_flow_editor_safety import MODELER, idle, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "payment_date_change"
ACTIVE = """() => {
  const a = document.activeElement;
  return {id: a.id, inPalette: Boolean(a.closest('.djs-palette')), role: a.getAttribute('role'),
          label: a.getAttribute('aria-label'), outline: getComputedStyle(a).outlineStyle};
}"""


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def selected(page) -> list[str]:
    return page.evaluate(f"() => {MODELER}.get('selection').get().map(e => e.id)")


def lane_of(page, element_id: str) -> str:
    return page.evaluate(
        f"""id => {{
          const bo = {MODELER}.get('elementRegistry').get(id).businessObject;
          const lane = {MODELER}.get('elementRegistry').filter(
            e => e.type === 'bpmn:Lane' && (e.businessObject.flowNodeRef || []).includes(bo))[0];
          return lane ? lane.id : '';
        }}""",
        element_id,
    )


def tab_until(page, found, *, limit: int = 80, key: str = "Tab") -> list[dict]:
    """Press `key` until `found(active)`; return the stops passed on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        stops.append(active(page))
        if found(stops[-1]):
            return stops
    raise AssertionError(f"not reached in {limit} presses: {stops[-5:]}")


def test_a_task_is_created_from_the_palette_with_the_keyboard_alone(page, analyst):
    errors = open_editor(page, analyst, KEY)

    # when the analyst tabs from the page's start, the palette comes right after the diagram
    stops = tab_until(page, lambda stop: stop["inPalette"])
    assert stops[-2]["id"] == "bpmn-canvas"
    entry = stops[-1]
    assert entry["role"] == "button" and entry["label"] == "Dodaj zdarzenie początkowe"
    assert entry["outline"] == "solid"  # the focus ring shows where the keyboard is
    toolbar = page.locator("#bpmn-canvas .djs-palette-entries")
    assert (
        toolbar.get_attribute("role") == "toolbar" and toolbar.get_attribute("aria-label") == "Dodaj element"
    )
    page.evaluate(axe_source())
    found = page.evaluate(
        "async () => (await axe.run('#bpmn-canvas .djs-palette', {resultTypes: ['violations']}))"
        ".violations.map(v => v.id)"
    )
    assert found == []

    # when they go down the palette to "Dodaj zadanie" and press Enter
    for _ in range(10):
        if active(page)["label"] == "Dodaj zadanie":
            break
        page.keyboard.press("ArrowDown")
    assert active(page)["label"] == "Dodaj zadanie"
    before = set(page.evaluate(f"() => {MODELER}.get('elementRegistry').getAll().map(e => e.id)"))
    page.keyboard.press("Enter")

    # then a new task is selected, in a lane of the pool, listed and said; the diagram has the focus
    new = selected(page)
    assert len(new) == 1 and new[0] not in before
    task = new[0]
    assert page.evaluate(f"id => {MODELER}.get('elementRegistry').get(id).type", task) == "bpmn:Task"
    assert lane_of(page, task) in {"lane_client", "lane_staff", "lane_system"}
    assert active(page)["id"] == "bpmn-canvas"
    assert page.locator("#element-select").input_value() == task
    assert "Zadanie" in page.locator("#element-select option:checked").inner_text()
    assert "Zadanie" in page.locator("#selection-status").inner_text()
    assert page.get_attribute("#flow-editor", "data-dirty") == "true"

    # and the diagram's keys go on from it: P selects the element before it in the list
    page.keyboard.press("p")
    assert selected(page) != [task]
    page.keyboard.press("n")
    assert selected(page) == [task]

    # when they go back up to Validate and press it, the diagram sent holds the task in its lane
    tab_until(page, lambda stop: stop["id"] == "validate-flow", key="Shift+Tab")
    with page.expect_request("**/api/workflows/validate/") as request:
        page.keyboard.press("Enter")
    sent = json.loads(request.value.post_data)["bpmn_xml"]
    assert f'<bpmn:task id="{task}"' in sent
    assert f"<bpmn:flowNodeRef>{task}</bpmn:flowNodeRef>" in sent
    idle(page)
    assert errors == []


def test_a_start_event_goes_into_the_lane_chosen_with_the_keyboard(page, analyst):
    errors = open_editor(page, analyst, KEY)
    # given an empty lane below the others
    lane = page.evaluate(
        f"() => {MODELER}.get('modeling').addLane({MODELER}.get('elementRegistry').get('lane_system'), 'bottom').id"
    )

    # when the analyst walks the diagram with N to that lane and tabs to the palette's first entry
    page.focus("#bpmn-canvas")
    for _ in range(40):
        page.keyboard.press("n")
        if selected(page) == [lane]:
            break
    assert selected(page) == [lane]
    page.keyboard.press("Tab")
    assert active(page)["label"] == "Dodaj zdarzenie początkowe"
    page.keyboard.press("Space")

    # then the start event is in that lane, inside its bounds, and selected
    new = selected(page)
    assert len(new) == 1
    assert page.evaluate(f"id => {MODELER}.get('elementRegistry').get(id).type", new[0]) == "bpmn:StartEvent"
    assert lane_of(page, new[0]) == lane
    inside = page.evaluate(
        f"""([id, laneId]) => {{
          const r = {MODELER}.get('elementRegistry'), e = r.get(id), l = r.get(laneId);
          return e.x >= l.x && e.y >= l.y && e.x + e.width <= l.x + l.width && e.y + e.height <= l.y + l.height;
        }}""",
        [new[0], lane],
    )
    assert inside
    assert errors == []
