"""Walkers' findings on the lists (session 29): the staff inbox broke a contract number at its "/" and a long
subject word mid-word at 1,280 px; a client's invoice card broke the contract number in its half-width cell on
a phone; the invoice PDF icon stood right before "XML KSeF", as if it were the XML's. Measured as drawn."""

from __future__ import annotations

import pytest

from tests.browser.client_world import build_client_world
from tests.browser.test_layout import LINES_OF_TEXT, PAGE_WIDTH
from tests.browser.test_long_data_layout import LONG_NAME, LONG_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRACT = "UL/2026/00123/KR"
SUBJECT = "Prośba o zmianę adresu korespondencyjnego firmy"
TOKEN = "Z" * 60  # a pathological one-word subject: it may break anywhere, the page may not widen
INBOX_TABLE = (
    "() => { const t = document.querySelector('[data-testid=inbox-table]');"
    " return {width: t.scrollWidth, room: t.parentElement.clientWidth}; }"
)
# For each icon of a row's actions: the visible text drawn nearest after it on its line, and whether that
# text is inside the icon's own link (the label a reader pairs with the icon), and the gap to it.
ICON_LABELS = """(cell) => {
  const texts = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || node.parentElement.closest('.visually-hidden')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) texts.push({node: node, rect: rect});
  }
  return [...cell.querySelectorAll('svg')].map(svg => {
    const icon = svg.getBoundingClientRect();
    const after = texts
      .filter(t => t.rect.left >= icon.right - 1 && t.rect.top < icon.bottom && t.rect.bottom > icon.top)
      .sort((a, b) => a.rect.left - b.rect.left)[0];
    if (!after) return {label: null, own: false, gap: null};
    return {label: after.node.textContent.trim(), own: after.node.parentElement.closest('a') === svg.closest('a'),
            gap: Math.round(after.rect.left - icon.right)};
  });
}"""
# The horizontal gap between each link of a row's actions and the next one on its line.
LINK_GAPS = """(cell) => {
  const links = [...cell.querySelectorAll('a')].map(a => a.getBoundingClientRect());
  const gaps = [];
  for (let i = 1; i < links.length; i++) {
    if (Math.abs(links[i].top - links[i - 1].top) < 4) gaps.push(Math.round(links[i].left - links[i - 1].right));
  }
  return gaps;
}"""


def test_the_inbox_keeps_a_contract_number_and_subject_words_whole_and_fits_the_page(page, login, bok_staff):
    """The demo's inbox (threads of two clients, every status) with the long-data client's name."""
    from backend.contracts.models import Contract
    from backend.messaging.client_writes import start_thread
    from tests.factories import ContractFactory

    world = build_client_world()
    world.client.name = LONG_NAME
    world.client.save(update_fields=["name"])
    Contract.objects.filter(pk=world.contract.pk).update(number=CONTRACT)
    world.contract.refresh_from_db()
    long_contract = ContractFactory(client=world.client, number=LONG_NUMBER)
    kept = start_thread(
        user=world.user,
        client=world.client,
        subject=SUBJECT,
        category="invoices",
        body="Treść",
        contract=world.contract,
    )
    login(page, bok_staff)
    problems = []
    for width in (1024, 1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/staff/messages/")
        table = page.evaluate(INBOX_TABLE)
        if table["width"] > table["room"] or page.evaluate(PAGE_WIDTH) > width:
            problems.append(f"{width}px: the inbox is {table['width']}px in {table['room']}px")
        row = page.locator(f'[data-thread-id="{kept.pk}"]')
        contract_lines = row.locator('td[data-label="Umowa"]').evaluate(LINES_OF_TEXT)
        if contract_lines != [CONTRACT]:
            problems.append(f"{width}px: the contract number is drawn as {contract_lines}")
        subject_lines = row.locator("th a").evaluate(LINES_OF_TEXT)
        if any(word not in SUBJECT.split() for line in subject_lines for word in line.split()):
            problems.append(f"{width}px: the subject breaks inside a word: {subject_lines}")
        # the message count, whose column gave way, is said under the subject
        count = row.get_by_test_id("thread-count")
        if not count.is_visible() or count.inner_text() != "1 wiadomość":
            problems.append(f"{width}px: the message count is not shown in the row")
    # a one-word subject of 60 letters breaks where it must; the inbox still fits the page
    start_thread(
        user=world.user,
        client=world.client,
        subject=TOKEN,
        category="other",
        body="Treść",
        contract=long_contract,
    )
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/staff/messages/")
        table = page.evaluate(INBOX_TABLE)
        if table["width"] > table["room"] or page.evaluate(PAGE_WIDTH) > width:
            problems.append(
                f"{width}px, a 60-letter word: the inbox is {table['width']}px in {table['room']}px"
            )
    assert problems == [], "\n".join(problems)


def test_an_invoice_card_keeps_its_contract_whole_and_each_file_icon_beside_its_own_label(page):
    world = build_client_world()
    world.log_in(page)
    problems = []
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/invoices/", "/archive/"):
            page.goto(path)
            where = f"{width}px {path}"
            row = page.locator("[data-testid=invoice-table] tbody tr").first
            contract = row.locator('td[data-label="Umowa"]')
            number = contract.inner_text().strip()
            if contract.evaluate(LINES_OF_TEXT) != [number]:
                problems.append(f"{where}: the contract is drawn as {contract.evaluate(LINES_OF_TEXT)}")
            if width == 375 and row.bounding_box()["height"] > 310:
                problems.append(f"{where}: the card is {row.bounding_box()['height']}px tall")
            actions = row.locator("td.actions")
            labels = actions.evaluate(ICON_LABELS)
            if [(icon["label"], icon["own"]) for icon in labels] != [("PDF", True), ("XML KSeF", True)]:
                problems.append(f"{where}: the icons' nearest labels are {labels}")
            if any(icon["gap"] is not None and icon["gap"] > 8 for icon in labels):
                problems.append(f"{where}: an icon stands apart from its label: {labels}")
            if any(gap < 8 for gap in actions.evaluate(LINK_GAPS)):
                problems.append(f"{where}: links touch: {actions.evaluate(LINK_GAPS)}")
            if page.evaluate(PAGE_WIDTH) > width:
                problems.append(f"{where}: the page scrolls sideways")
    assert problems == [], "\n".join(problems)
