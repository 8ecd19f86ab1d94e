"""The invoice page's number wraps after one of its slashes when its column is too narrow
(FV/2026/12/ | 09999913016), never inside the running number (FV/2026/12/099999 | 13016)."""

from __future__ import annotations

import pytest

from backend.invoices.models import Invoice
from tests.browser.client_world import build_client_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The character offsets at which the element's text starts a new line.
LINE_STARTS = """el => {
  const text = el.textContent, starts = [0];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let top = null, offset = 0, node;
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (top !== null && rect.top > top + 2) starts.push(offset + i);
      top = rect.top;
    }
    offset += node.length;
  }
  return {text, starts};
}"""


@pytest.mark.parametrize("width", [1280, 1024])
def test_a_long_invoice_number_wraps_only_after_a_slash(page, width):
    world = build_client_world()
    Invoice.objects.filter(pk=world.invoice.pk).update(number="FV/2026/12/09999913016")
    page.set_viewport_size({"width": width, "height": 900})
    world.log_in(page)

    page.goto(f"/invoices/{world.invoice.pk}/")
    lines = page.locator("[data-testid=invoice-number]").evaluate(LINE_STARTS)

    assert lines["text"] == "FV/2026/12/09999913016"  # copied as it is
    for start in lines["starts"][1:]:
        assert lines["text"][start - 1] == "/", lines
