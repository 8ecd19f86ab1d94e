"""The flow editor on a phone (375 px): the page is as wide as the screen. The diagram scrolls inside its
own box, the panel stacks below it and the toolbars wrap; before, the list of diagram elements (as wide as
its longest choice) made the page 690 px wide and it scrolled sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What passes the screen's right edge, outside the diagram (its SVG is clipped by its own box).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg, .djs-overlay-container')) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) out.push(el.id || el.className || el.tagName);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, out};
}"""


def test_the_editor_and_its_versions_page_fit_a_phone(page, analyst):
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, analyst)
    page.goto("/analyst/flows/payment_date_change/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")
    page.wait_for_function("() => document.querySelector('#element-select').options.length > 0")

    measured = page.evaluate(OVERFLOW)
    assert measured == {"scrollWidth": 375, "width": 375, "out": []}
    # the panel is below the diagram, as wide as it; every toolbar button is on the screen
    canvas = page.locator("#bpmn-canvas").bounding_box()
    panel = page.locator("#properties-panel").bounding_box()
    assert panel["y"] >= canvas["y"] + canvas["height"]
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 375
    for box in page.locator("#flow-editor .editor-toolbar .button").evaluate_all(
        "buttons => buttons.map(b => b.getBoundingClientRect().toJSON())"
    ):
        assert box["left"] >= 0 and box["right"] <= 375

    page.goto("/analyst/flows/payment_date_change/versions/")
    assert page.evaluate(OVERFLOW)["scrollWidth"] == 375


def test_the_panel_stays_beside_the_diagram_on_a_desktop(page, analyst):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, analyst)
    page.goto("/analyst/flows/payment_date_change/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")

    assert page.evaluate(OVERFLOW)["scrollWidth"] == 1280
    canvas = page.locator("#bpmn-canvas").bounding_box()
    panel = page.locator("#properties-panel").bounding_box()
    assert panel["x"] >= canvas["x"] + canvas["width"]
    assert abs(panel["y"] - canvas["y"]) < 2
