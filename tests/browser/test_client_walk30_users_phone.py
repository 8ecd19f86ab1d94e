"""On a phone the users page's card of a colleague waiting for activation has four actions (Zmień,
Wstrzymaj, Nowy kod aktywacyjny, Usuń): they wrap onto a second line of the card instead of being
squeezed into one, which broke every button's word over several lines ("Wst|rzy|maj"), the buttons of a
line level; a last login's date and time stay one value, neither broken."""

from __future__ import annotations

import pytest

from tests.browser.client_world import build_client_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The action buttons of the members' cards whose own text the browser laid out over more than one line.
BROKEN_BUTTONS = r"""() => [...document.querySelectorAll('[data-testid=members] td.actions .button')]
  .filter(b => b.offsetParent !== null)
  .filter(b => {
    const range = document.createRange();
    range.selectNodeContents(b);
    return new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top))).size > 1;
  })
  .map(b => b.innerText.replace(/\s+/g, ' '))"""


# A cell's value as the card lays it out: how many flex items beside the ::before label, and the dates and
# times in it that the browser broke over two lines.
VALUE_LAYOUT = r"""td => {
  const items = [...td.childNodes].filter(n => n.nodeType === 1 || n.textContent.trim()).length;
  const broken = [];
  const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2}|\d{2}:\d{2}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      if (new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top))).size > 1)
        broken.push(m[0]);
    }
  }
  return {items, broken};
}"""


@pytest.mark.parametrize("language", ["pl", "en"])
def test_on_a_phone_each_members_action_keeps_its_words_on_one_line(page, language):
    world = build_client_world()
    world.user.language = language
    world.user.save(update_fields=["language"])
    page.set_viewport_size({"width": 375, "height": 812})
    world.log_in(page)
    page.goto("/client/users/")
    waiting = page.locator(f'[data-testid=member-row][data-email="{world.newcomer.email}"]')
    assert waiting.locator("td.actions .button").count() == 4
    assert page.evaluate(BROKEN_BUTTONS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # the buttons of one line are level ("Zmień", a link, beside forms' buttons that had a bottom margin)
    tops = [round(b.bounding_box()["y"]) for b in waiting.locator("td.actions .button").all()]
    assert tops[0] == tops[1], tops
    # the last login ("02.12.2026 00:19") is one value, not a date and a time spread apart, none broken
    self_row = page.locator(f'[data-testid=member-row][data-email="{world.user.email}"]')
    layout = self_row.locator("td[data-label]").nth(4).evaluate(VALUE_LAYOUT)
    assert layout == {"items": 1, "broken": []}
