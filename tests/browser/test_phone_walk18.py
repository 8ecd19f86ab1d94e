"""An outside walk of the client pages on a phone (375 x 812): the lists' filters fold under "Filtry" and,
sent, show the results with their count (a desktop keeps the form as it was), the home page shows what is
owed first, card values (and the footer's phone number and address) break only between whole numbers and
dates, no sort chip of a hidden column, the date filters are as wide as the form, the notification
settings' check boxes, and "Odpowiedz teraz" puts the keyboard in the reply box."""

from __future__ import annotations

import re

import pytest

from tests.browser.client_world import build_client_world
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
LISTS = ("/invoices/", "/archive/", "/contracts/", "/documents/", "/messages/", "/requests/")

# Numbers and dates in the cards (a whitespace-separated word with a digit) that the browser broke over two
# lines other than after a "/": each character's line from a Range over the cells' text nodes (the label is
# the cell's ::before, not a text node; `breakable`'s <wbr> ends a text node after each "/").
BROKEN_VALUES = r"""() => {
  const broken = [];
  for (const cell of document.querySelectorAll("main .data-table.list.responsive tbody [data-label]")) {
    if (cell.offsetParent === null) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      let top = null;
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (!rect.height) continue;
        if (top !== null && Math.abs(rect.top - top) > 2 && !/\s/.test(text[i - 1]) && text[i - 1] !== "/") {
          const word = text.slice(0, i).split(/\s/).pop() + text.slice(i).split(/\s/)[0];
          if (/\d/.test(word)) broken.push(cell.dataset.label + ": " + word);
        }
        top = rect.top;
      }
    }
  }
  return broken;
}"""


def test_on_a_phone_the_filters_fold_and_filtering_shows_the_results_with_their_count(page):
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)
    for path in LISTS:
        page.goto(path)
        box = page.locator("details.list-filters")
        assert box.evaluate("d => d.open") is False, path
        assert page.locator("details.list-filters > summary").inner_text() == "Filtry"
        count = page.locator("#results")
        assert count.is_visible() and re.fullmatch(r"\d+ wynik(i|ów)?", count.inner_text()), path
        box = count.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], path  # on the first screen
        first_row = page.locator("main .data-table tbody tr").first
        if first_row.count():  # the first card starts about a screen down (was 952-1402 px)
            assert first_row.bounding_box()["y"] < 900, path

    # filtering: the summary opens the form, "Filtruj" brings the results into view, the form stays open
    page.goto("/invoices/")
    page.click("details.list-filters > summary")
    page.select_option("#f-currency", "PLN")
    page.click("details.list-filters button[type=submit]")
    page.wait_for_url(re.compile(r"/invoices/\?.*currency=PLN.*#results$"))
    count = page.locator("#results").bounding_box()
    assert 0 <= count["y"] < 100, count
    assert page.locator("details.list-filters").evaluate("d => d.open") is True
    assert page.locator("details.list-filters > summary").inner_text() == "Filtry (1 aktywny)"


def test_on_a_desktop_the_filter_form_is_as_it_was(page):
    world = build_client_world()
    page.set_viewport_size(DESKTOP)
    world.log_in(page)
    for path in LISTS:
        page.goto(path)
        assert page.locator("details.list-filters form").is_visible(), path
        assert not page.locator("details.list-filters > summary").is_visible(), path
        assert not page.locator("#results").is_visible(), path
    page.goto("/invoices/")
    page.select_option("#f-currency", "PLN")
    page.click("details.list-filters button[type=submit]")
    page.wait_for_url(re.compile(r"currency=PLN"))
    assert page.evaluate("window.scrollY") == 0  # no jump past the form


def test_on_a_phone_the_home_page_shows_the_balance_before_the_invoices(page):
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)
    page.goto("/")
    balance = page.locator("#settlement-summary").bounding_box()
    invoices = page.locator("#newest-invoices").bounding_box()
    assert balance["y"] < invoices["y"] and balance["y"] < PHONE["height"]
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    assert (
        page.locator("#newest-invoices").bounding_box()["y"]
        < page.locator("#settlement-summary").bounding_box()["y"]
    )


@pytest.mark.parametrize("language", ["pl", "en"])
def test_on_a_phone_card_values_break_only_between_whole_numbers_and_dates(page, language):
    world = build_client_world()
    world.user.language = language
    world.user.save(update_fields=["language"])
    page.set_viewport_size(PHONE)
    world.log_in(page)
    broken = []
    for path in ("/", "/invoices/", "/archive/", "/contracts/", "/documents/", "/requests/", "/settlements/"):
        page.goto(path)
        broken += [f"{path} {value}" for value in page.evaluate(BROKEN_VALUES)]
        # customer service's number and address in the footer: each on one line ("800 123" / "456" was)
        for link in page.locator(".site-footer a").all():
            if link.evaluate("a => a.getClientRects().length") != 1:
                broken.append(f"{path} footer {link.inner_text()}")
    page.goto(f"/contracts/{world.contract.pk}/")
    broken += [f"contract {value}" for value in page.evaluate(BROKEN_VALUES)]
    assert broken == []


def test_on_a_phone_no_sort_chip_of_a_hidden_column_and_date_filters_are_full_width(page):
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)
    page.goto("/contracts/")
    chips = page.locator("[data-testid=contract-table] thead .sort-link")
    labels = [chip.inner_text() for chip in chips.all() if chip.is_visible()]
    assert labels and not any(label.startswith("Waluta") for label in labels), labels
    for path in ("/invoices/", "/archive/", "/documents/"):
        page.goto(path)
        page.click("details.list-filters > summary")
        for field in page.locator("details.list-filters input[type=date]").all():
            # as wide as its date range's box, inside its border and padding (was 141 px of 291)
            room = field.locator("xpath=ancestor::div[@role='group']").bounding_box()["width"] - 2 * (12 + 1)
            assert field.bounding_box()["width"] >= room - 1, path


# The leftmost edge of a check box's label text, every line of it (a label that wraps under its box starts
# its second line left of the box's right edge).
TEXT_LEFT = """label => {
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
  let left = Infinity;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.width > 1) left = Math.min(left, rect.left);
  }
  return left;
}"""


def test_on_a_phone_the_notification_settings_are_check_boxes_beside_their_labels(page):
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)
    page.goto("/account/")
    boxes = page.locator("main form input[type=checkbox]").all()
    assert boxes
    for box in boxes:
        rect = box.bounding_box()
        assert rect["width"] >= 18 and rect["height"] >= 18  # was the browser's 13 px
        # every line of the label beside the box, none under it
        assert box.locator("xpath=..").evaluate(TEXT_LEFT) >= rect["x"] + rect["width"]


def test_reply_now_puts_the_keyboard_in_the_reply_box(page, client_user, asked):
    page.set_viewport_size(PHONE)
    log_in(page, client_user)
    page.goto(f"/requests/{asked.pk}/")
    assert page.evaluate("document.activeElement.id") != "reply-message"  # nothing taken on load
    page.get_by_role("link", name="Odpowiedz teraz").click()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'reply-message'", timeout=3000
    )
    assert page.locator("#reply-title").bounding_box()["y"] >= 0  # the card's heading in view above it
    page.keyboard.type("Skan w załączeniu")
    assert page.locator("#reply-message").input_value() == "Skan w załączeniu"
