"""On a phone the settlements' transfer titles keep the invoice number whole: the card broke
"FV/2026/11/000123 Firma…" anywhere, cutting the number the client reads and copies to match a payment;
now the words around it wrap and the number sits on one line (at 1280 px the table is as it was)."""

from __future__ import annotations

import pytest

from tests.browser.client_world import build_client_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}

# Each shown transfer title's document number (its word with a "/"): the number, the lines it takes (the
# distinct tops of a Range over its characters, whatever elements hold them), its height and the cell's
# line height.
NUMBER_LINES = r"""(label) => {
  const found = [];
  for (const cell of document.querySelectorAll(`main td[data-label="${label}"]`)) {
    if (cell.offsetParent === null) continue;
    const chars = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.textContent.length; i++) chars.push([node, i]);
    }
    const text = chars.map(([node, i]) => node.textContent[i]).join("");
    const match = text.match(/[^\s\/]*\/\S*/);
    if (!match) continue;
    const first = chars[match.index], last = chars[match.index + match[0].length - 1];
    const range = document.createRange();
    range.setStart(first[0], first[1]); range.setEnd(last[0], last[1] + 1);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    found.push({number: match[0], lines: tops.size, height: range.getBoundingClientRect().height,
                lineHeight: parseFloat(getComputedStyle(cell).lineHeight)});
  }
  return found;
}"""


def test_on_a_phone_the_invoice_number_in_a_transfer_title_stays_on_one_line(page):
    # given: the demo client's payments, titled "<invoice number> <company name>"
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)

    # when: the client opens the paid invoices of the settlements on a phone
    page.goto("/settlements/paid/")
    titles = page.evaluate(NUMBER_LINES, "Tytuł przelewu")

    # then: every title's number is on one line, one line high
    assert titles, "no transfer title with an invoice number on the page"
    broken = [t for t in titles if t["lines"] != 1 or t["height"] > 1.5 * t["lineHeight"]]
    assert broken == []
