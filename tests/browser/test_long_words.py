"""A subject of 200 characters without a space ("Temat" + 195 × "X") made the staff inbox's Subject column
about 3,400 px wide and pushed the other columns out; the thread pages' heading and breadcrumb ran past the
window (4,361 px on a desktop, 3,577 px on a phone). Long unbroken tokens now wrap wherever they are shown.

Screenshots go to /tmp/long-words-<page>-<width>.png for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.browser.test_layout import BROKEN_LABELS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SUBJECT = "Temat" + "X" * 195
FILE_NAME = "skan-" + "a" * 120 + ".pdf"
WIDTHS = (1280, 375)
# The page's own width and every element of its main part that reaches past the window's right edge.
OVERFLOW = """() => ({
  page: document.scrollingElement.scrollWidth,
  past: [...document.querySelectorAll("main *")]
    .filter(el => el.offsetParent !== null && !el.closest(".visually-hidden, .table-wrap"))
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")),
})"""
# Ordinary words (up to 40 characters) of the tables' cells that a line break cut in two: the long subject
# must wrap, never the other columns' words.
BROKEN_WORDS = """() => [...document.querySelectorAll("main table.data-table tbody :is(th, td)")]
  .filter(cell => cell.offsetParent !== null).flatMap(cell => {
    const cut = [], walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, words = /\\S+/g;
      let m;
      while ((m = words.exec(node.data))) {
        if (m[0].length > 40) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) cut.push(m[0]);
      }
    }
    return cut;
  })"""
# Each data table against the box it sits in.
TABLES = """() => [...document.querySelectorAll("main table.data-table")].filter(t => t.offsetParent !== null)
  .map(t => ({width: t.scrollWidth, room: t.parentElement.clientWidth}))"""


@pytest.fixture
def long_thread(client_user, acme, acme_contract, bok_staff, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from backend.messaging.attachments import upload_attachment
    from backend.messaging.client_writes import start_thread
    from backend.messaging.staff_writes import reply_as_staff

    thread = start_thread(
        user=client_user,
        client=acme,
        subject=SUBJECT,
        category="other",
        body="Y" * 300,
        contract=acme_contract,
    )
    pdf = SimpleUploadedFile(
        FILE_NAME, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    attachment = upload_attachment(user=bok_staff, client=acme, uploaded=pdf)
    reply_as_staff(user=bok_staff, thread=thread, body="Odpowiedź", attachment_ids=[attachment.pk])
    for number in range(3):  # neighbours with ordinary subjects
        start_thread(
            user=client_user,
            client=acme,
            subject=f"Zwykły temat {number}",
            category="other",
            body="x",
            contract=None,
        )
    return thread


def check(page, path: str, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.screenshot(path=f"/tmp/long-words-{name}-{width}.png", full_page=True)
    measured = page.evaluate(OVERFLOW)
    assert measured["page"] <= width, (path, width, measured)
    assert measured["past"] == [], (path, width, measured)
    assert [t for t in page.evaluate(TABLES) if t["width"] > t["room"] + 1] == [], (path, width)
    assert page.evaluate(BROKEN_WORDS) == [], (path, width)
    assert page.evaluate(BROKEN_LABELS) == [], (path, width)  # a phone card's labels stay whole


def test_a_long_unbroken_subject_wraps_on_staff_pages(page, login, bok_staff, long_thread):
    login(page, bok_staff)
    for width in WIDTHS:
        check(page, "/staff/messages/", "staff-inbox", width)
        check(page, f"/staff/messages/{long_thread.pk}/", "staff-thread", width)


def test_a_long_unbroken_subject_and_file_name_wrap_on_client_pages(page, login, client_user, long_thread):
    login(page, client_user)
    for width in WIDTHS:
        check(page, "/messages/", "client-list", width)
        check(page, f"/messages/{long_thread.pk}/", "client-thread", width)
