"""English dates (2026-11-30) are one word wherever a client sees them: a squeezed desktop column of the
invoice, archive, contract, document, payment and user lists, the contract's schedule and policies, a
policy's period and a request's "submitted" line broke them at a hyphen ("2026-11- | 30"); Polish dates
(30.11.2026) have no hyphen and never did. On a phone a card's value stays together: the policy period's
dates and their dash, the leased item and its "+1 more", rather than spread across the card's line."""

from __future__ import annotations

import pytest

from backend.requests_app.models import PortalRequest
from tests.browser.client_world import build_client_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every date of <main> (ISO or Polish) that the browser laid out over more than one line.
BROKEN_DATES = r"""() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || node.parentElement.offsetParent === null) continue;
    for (const m of node.textContent.matchAll(/\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}"""


def english_world(page, width: int):
    world = build_client_world()
    world.user.language = "en"
    world.user.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    world.log_in(page)
    return world


@pytest.mark.parametrize("width", [1280, 1024, 800])
def test_english_dates_stay_whole_in_the_desktop_lists(page, width):
    world = english_world(page, width)
    paths = [
        "/invoices/",
        "/archive/",
        "/contracts/",
        "/documents/",
        "/settlements/paid/",
        "/client/users/",
        f"/contracts/{world.contract.pk}/",
    ]
    broken = {}
    for path in paths:
        page.goto(path)
        assert page.locator("main .data-table").count(), path
        found = page.evaluate(BROKEN_DATES)
        if found:
            broken[path] = found[:3]
    assert broken == {}


def test_on_a_phone_dates_stay_whole_and_a_card_value_stays_together(page):
    world = english_world(page, 375)
    # the policy's period in a sentence-like cell, the request's "submitted" line
    page.goto("/policies/")
    period = page.locator("[data-testid=policy-table] .date")
    assert period.count() == 2
    assert all(d.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap" for d in period.all())
    page.goto(f"/requests/{world.request.pk}/")
    lead = page.locator(".page-head .lead .date")
    assert lead.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    assert page.evaluate(BROKEN_DATES) == []

    # the contract's policies: "2026-10-01 – 2027-09-30" reads as one value at the card's right edge
    page.goto(f"/contracts/{world.contract.pk}/")
    cell = page.locator("#polisy tbody tr").first.locator("td[data-label]").nth(1)
    dates = cell.locator(".date").all()
    first, last = dates[0].bounding_box(), dates[1].bounding_box()
    assert abs(first["y"] - last["y"]) < 2
    gap = last["x"] - (first["x"] + first["width"])
    assert gap < 30, gap  # a dash between them, not the card's spare width

    # the leased item and its "+N more" stay one value
    page.goto("/contracts/")
    spread = page.evaluate(
        """() => [...document.querySelectorAll('main .data-table.responsive td[data-label]')]
          .filter(td => getComputedStyle(td).display === 'flex')
          .filter(td => [...td.childNodes].filter(n => n.nodeType === 1 || n.textContent.trim()).length > 1)
          .map(td => td.dataset.label)"""
    )
    assert "Leased item" not in spread


def test_the_attachments_heading_stands_apart_from_the_request_data(page):
    world = english_world(page, 1280)
    assert PortalRequest.objects.filter(pk=world.request.pk).exists()
    page.goto(f"/requests/{world.request.pk}/")
    data = page.locator("#request-data").bounding_box()
    heading = page.locator("#request-data + h3").bounding_box()
    assert heading["y"] - (data["y"] + data["height"]) >= 16
