"""A filter row keeps its fields in line when a refused value's message shows (walker, session 27): on the
invoice list an inverted issue-date range put its message under its fields, and the "Due date" range beside
it dropped by the message's height (~50 px); a date range beside selects (documents) sat 13 px off them
even without a message, 66 px with one; the staff task list's due date dropped its neighbours too. Every
box of a row now starts its control at one height, and the message stays under its own field."""

from __future__ import annotations

import pytest

from tests.factories import InvoiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}
INVERTED = "2026-05-01", "2026-01-01"
# The visible single-line controls of the list's filter form: name -> (top, left, right).
CONTROLS = """form => Object.fromEntries([...form.querySelectorAll("input:not([type=hidden]), select")]
  .filter(el => el.offsetParent !== null)
  .map(el => { const r = el.getBoundingClientRect(); return [el.name, [r.top, r.left, r.right]]; }))"""


def _aligned(page, form_selector: str, names: list[str]) -> dict:
    controls = page.locator(form_selector).evaluate(CONTROLS)
    tops = [controls[name][0] for name in names]
    assert max(tops) - min(tops) <= 2, controls
    return controls


def _message_under(page, error_id: str, controls: dict, names: list[str]) -> None:
    """The message shows under its own range's fields, within their width."""
    box = page.locator(f"#{error_id}").bounding_box()
    assert page.locator(f"#{error_id}").is_visible()
    assert box["y"] >= max(controls[name][0] for name in names)
    assert controls[names[0]][1] - 1 <= box["x"] and box["x"] + box["width"] <= controls[names[1]][2] + 1


def test_an_inverted_range_keeps_the_invoice_filter_row_in_line(page, login, client_user, acme):
    InvoiceFactory(client=acme)
    page.set_viewport_size(DESKTOP)
    login(page, client_user)
    page.goto(f"/invoices/?issue_date_from={INVERTED[0]}&issue_date_to={INVERTED[1]}")

    ranges = ["issue_date_from", "issue_date_to", "due_date_from", "due_date_to"]
    controls = _aligned(page, "[data-testid=invoice-filters]", ranges)
    _message_under(page, "f-issue-to-error", controls, ["issue_date_from", "issue_date_to"])
    _aligned(page, "[data-testid=invoice-filters]", ["number", "status", "contract", "currency"])
    page.locator("[data-testid=invoice-filters]").screenshot(path="/tmp/filter-row-invoices-1280.png")


def test_a_date_range_beside_selects_keeps_their_line_with_and_without_a_message(
    page, login, client_user, acme
):
    page.set_viewport_size(DESKTOP)
    login(page, client_user)
    for query in ("", f"?date_from={INVERTED[0]}&date_to={INVERTED[1]}"):
        page.goto(f"/documents/{query}")
        controls = _aligned(
            page, "[data-testid=document-filters]", ["kind", "contract", "date_from", "date_to"]
        )
    _message_under(page, "f-date-to-error", controls, ["date_from", "date_to"])
    page.locator("[data-testid=document-filters]").screenshot(path="/tmp/filter-row-documents-1280.png")


def test_the_staff_filter_rows_keep_in_line_with_a_refused_value(page, login, bok_staff):
    page.set_viewport_size(DESKTOP)
    login(page, bok_staff)
    # the task list's due date beside two selects (it dropped them by its message's height)
    page.goto("/staff/tasks/?due_before=31.02.2026")
    assert page.locator("#flt-due-error").is_visible()
    _aligned(page, "main form.filters", ["client", "due_before", "assignee"])
    # the inbox's date range (the same partial as the client lists')
    page.goto(f"/staff/messages/?date_from={INVERTED[0]}&date_to={INVERTED[1]}")
    controls = _aligned(page, "main form.filters", ["date_from", "date_to"])
    _aligned(page, "main form.filters", ["category", "assignee", "client_name", "contract_number"])
    _message_under(page, "f-date-to-error", controls, ["date_from", "date_to"])
