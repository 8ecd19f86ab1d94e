"""The client users page's actions at a desktop's widths (session 31): between 1,024 and 1,280 px an active
colleague's three actions (Zmień, Wstrzymaj, Usuń) stacked one a line at 1,024 px, right-aligned at three
widths, and left "Usuń" alone under the other two at 1,152 px. Now they are one level line at 1,024, 1,152
and 1,280 px, in line with the other rows', a waiting colleague's "new activation code" under them, the
table inside its card; on a phone each
card's actions keep their words and the page its width."""

from __future__ import annotations

import pytest

from tests.browser.client_world import build_client_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per member row: the action buttons' (top, left, right), and how far the table runs out of its box.
ROWS = """() => Object.fromEntries([...document.querySelectorAll('[data-testid=member-row]')].map(row =>
  [row.dataset.email, [...row.querySelectorAll('td.actions .button')].map(b => {
    const r = b.getBoundingClientRect(); return [Math.round(r.top), r.left, r.right]; })]))"""
OVERRUN = """() => { const table = document.querySelector('[data-testid=members]');
  const box = table.closest('.card').getBoundingClientRect(); const r = table.getBoundingClientRect();
  return Math.max(0, r.right - box.right, box.left - r.left); }"""


def _lines(buttons: list) -> list[int]:
    """How many buttons each line holds, top to bottom (a line's buttons within 2 px of one top)."""
    counts: dict[int, int] = {}
    for top, _left, _right in buttons:
        line = next((seen for seen in counts if abs(seen - top) <= 2), top)
        counts[line] = counts.get(line, 0) + 1
    return [counts[line] for line in sorted(counts)]


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_members_actions_sit_in_level_lines_from_1024_to_1280_and_on_a_phone(page, language):
    world = build_client_world()
    world.user.language = language
    world.user.save(update_fields=["language"])
    world.log_in(page)
    for width in (1024, 1152, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/client/users/")
        rows = page.evaluate(ROWS)
        for email, buttons in rows.items():
            if email == world.user.email:
                continue
            expected = [3, 1] if email == world.newcomer.email else [3]
            assert _lines(buttons) == expected, (width, email, buttons)
        assert page.evaluate(OVERRUN) <= 1, width
        assert "{#" not in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/client/users/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for email, buttons in page.evaluate(ROWS).items():
        assert all(right <= 375 for _top, _left, right in buttons), email
    waiting = page.locator(f'[data-testid=member-row][data-email="{world.newcomer.email}"]')
    assert waiting.locator("td.actions .button").count() == 4
