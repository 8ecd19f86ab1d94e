"""Staff pages keep a number whole on a line: a NIP or a phone read out to a caller never breaks at its dashes
or spaces; the client search's hints stand as a left-aligned list under "No client matches"."""

from __future__ import annotations

import pytest

from backend.messaging.client_writes import start_thread
from tests.browser.conftest import log_in
from tests.request_helpers import submit_other_request

# How many lines the first occurrence of `text` inside `selector` takes (by the tops of its rectangles).
LINES_OF = """([selector, text]) => {
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(text);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    }
  }
  return -1;
}"""


def widths_splitting(page, url: str, selector: str, text: str, widths: range) -> list[int]:
    """The viewport widths at which `text` in `selector` takes more than one line."""
    page.goto(url)
    split = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        lines = page.evaluate(LINES_OF, [selector, text])
        assert lines > 0, f"{text!r} not found in {selector}"
        if lines > 1:
            split.append(width)
    return split


@pytest.fixture
def long_named(acme):
    # A long name pushes the NIP after it to wherever a phone's line ends.
    acme.name = "Przedsiębiorstwo Handlowo-Usługowe ACME Logistyka sp. z o.o."
    acme.save(update_fields=["name"])
    return acme


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_nip_under_a_task_a_thread_and_a_client_stays_on_one_line_on_a_phone(
    page, bok_staff, client_user, long_named
):
    portal_request = submit_other_request(client_user, long_named, subject="Pytanie o fakturę")
    thread = start_thread(
        user=client_user,
        client=long_named,
        subject="Korekta adresu",
        category="invoices",
        body="Proszę.",
        contract=None,
    )
    nip = f"{long_named.nip[:3]}-{long_named.nip[3:6]}-{long_named.nip[6:8]}-{long_named.nip[8:]}"
    log_in(page, bok_staff)

    for url in (
        f"/staff/tasks/{portal_request.pk}/",
        f"/staff/messages/{thread.pk}/",
        f"/staff/clients/{long_named.pk}/",
    ):
        assert widths_splitting(page, url, ".page-head .lead", nip, range(320, 481, 8)) == [], url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_users_phone_on_the_client_page_stays_on_one_line(page, bok_staff, client_user, acme):
    client_user.phone = "+48 600 100 200"
    client_user.save(update_fields=["phone"])
    log_in(page, bok_staff)

    split = widths_splitting(
        page, f"/staff/clients/{acme.pk}/", "[data-testid=users]", "+48 600 100 200", range(680, 1281, 40)
    )

    assert split == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_search_hints_are_a_left_aligned_list(page, bok_staff):
    log_in(page, bok_staff)

    page.goto("/staff/clients/?q=zzzzqq")

    hints = page.locator("[data-testid=search-hints] li")
    assert hints.count() == 5
    # Each hint's text starts where the others do, beside its bullet, not centred away from it.
    starts = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=search-hints] li')].map((li) => {
          const range = document.createRange();
          range.selectNodeContents(li);
          return Math.round(range.getClientRects()[0].left);
        })"""
    )
    assert len(set(starts)) == 1, starts
