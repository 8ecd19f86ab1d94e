"""The flow editor after the analyst walk of session 30: a narrower window fits the diagram again (its right
edge was cut off at 1024 px until "Fit to screen" was pressed), unless the analyst had zoomed or panned."""

from __future__ import annotations

import pytest

from tests.browser.test_editor_walk14 import MODELER, open_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "payment_date_change"


# Where the drawn diagram is on the screen against the canvas: measured on the page, not from the canvas's
# viewbox, which diagram-js caches (before a fit or canvas.resized() it still gives the old size).
DRAWN = """() => {
  const canvas = document.querySelector('#bpmn-canvas');
  const drawn = canvas.querySelector('svg g.viewport').getBoundingClientRect();
  const frame = canvas.getBoundingClientRect();
  return {left: drawn.left - frame.left, right: frame.right - drawn.right,
          top: drawn.top - frame.top, bottom: frame.bottom - drawn.bottom};
}"""


def whole_in_view(page) -> bool:
    """Is the whole drawn diagram inside the canvas (no edge cut off)?"""
    gaps = page.evaluate(DRAWN)
    return all(gap >= -1 for gap in gaps.values())


def resize(page, width: int, height: int) -> None:
    """The viewport at the new size, once the editor had a frame to answer the resize."""
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_a_narrower_window_fits_the_diagram_again(page, analyst):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_editor(page, analyst, KEY)
    assert whole_in_view(page), page.evaluate(DRAWN)

    # when the window narrows to 1024 px, then to a tablet's 800
    for width, height in ((1024, 768), (800, 900)):
        resize(page, width, height)
        # then the whole diagram is still in view, its right edge too
        assert whole_in_view(page), (width, page.evaluate(DRAWN))


def test_a_resize_keeps_the_view_the_analyst_zoomed_to(page, analyst):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_editor(page, analyst, KEY)
    # given the analyst zoomed in to read
    page.evaluate(f"() => {MODELER}.get('canvas').zoom(1.2)")
    zoomed = page.evaluate(f"() => {MODELER}.get('canvas').viewbox().scale")

    # when the window narrows
    resize(page, 1024, 768)

    # then their zoom stays (no fit over it)
    assert page.evaluate(f"() => {MODELER}.get('canvas').viewbox().scale") == pytest.approx(zoomed)
