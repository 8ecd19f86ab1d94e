"""Client walk 34b on a phone (375 px) and a desktop: a long attachment name wraps inside the request page
instead of pushing it sideways; the drafts offer keeps its two buttons apart; the English month of the
invoice history ("2023-12") is not broken at its hyphen."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.effects_walk.helpers import submit
from tests.factories import ContractFactory, InvoiceFactory
from tests.logged_in_clients import api_client_as
from tests.requests_app.helpers import submission, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Potwierdzenie_przelewu_za_raty_listopad_grudzien_2026_UL-2023-01000015_skan_podpisany.pdf"
SAVED = re.compile(r"Szkic zapisany \d\d:\d\d")


def _context(browser, live_server, width: int):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    return context


@pytest.mark.parametrize("width", [1280, 375])
def test_a_long_attachment_name_wraps_inside_the_request_page(browser, live_server, client_user, acme, width):
    api = api_client_as(client_user)
    attachment = upload(api, name=LONG_NAME).json()["id"]
    body = submission(
        "other_request",
        data={"subject": "Potwierdzenie przelewu", "message": "W załączniku."},
        attachment_ids=[attachment],
    )
    created = api.post("/api/requests/", body, format="json").json()
    context = _context(browser, live_server, width)
    page = context.new_page()
    log_in(page, client_user)

    page.goto(f"/requests/{created['id']}/")

    link = page.locator(".file-list a", has_text="Potwierdzenie_przelewu").first
    assert link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = link.bounding_box()
    assert box["x"] + box["width"] <= width
    context.close()


def test_the_drafts_offer_keeps_its_buttons_apart_on_a_phone(browser, live_server, client_user):
    context = _context(browser, live_server, 375)
    page = context.new_page()
    log_in(page, client_user)
    page.goto("/messages/new/")
    page.fill("textarea[name=body]", "Proszę o kontakt w sprawie faktury.")
    page.get_by_test_id("draft-status").filter(has_text=SAVED).wait_for()

    page.goto("/messages/new/")

    offer = page.get_by_test_id("draft-offer")
    resume = offer.get_by_role("button", name=re.compile("Wznów szkic")).bounding_box()
    discard = offer.get_by_role("button", name="Odrzuć").bounding_box()
    side_by_side = discard["x"] - (resume["x"] + resume["width"])
    one_under_other = discard["y"] - (resume["y"] + resume["height"])
    assert max(side_by_side, one_under_other) >= 6  # room for the focus ring between them
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_the_english_month_of_the_invoice_history_stays_on_one_line(browser, live_server, client_user, acme):
    contract = ContractFactory(client=acme)
    first = date(timezone.localdate().year - 2, 12, 5)
    InvoiceFactory(client=acme, contract=contract, issue_date=first)
    InvoiceFactory(client=acme, contract=contract, issue_date=timezone.localdate() - timedelta(days=30))
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    context = _context(browser, live_server, 375)
    page = context.new_page()
    log_in(page, client_user)

    page.goto("/settlements/")

    month = f"{first.year}-12"
    for testid in ("history-note", "paid-since"):
        text = page.get_by_test_id(testid)
        assert month in text.inner_text()
        # the month's text is one line box however the sentence around it wraps
        lines = text.evaluate(
            """(el, month) => { const node = [...el.querySelectorAll('*'), el].flatMap(e => [...e.childNodes])
                 .find(n => n.nodeType === 3 && n.textContent.includes(month));
               const range = document.createRange(); const at = node.textContent.indexOf(month);
               range.setStart(node, at); range.setEnd(node, at + month.length);
               return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }""",
            month,
        )
        assert lines == 1, testid
    context.close()


def test_a_form_refused_for_a_contract_taken_meanwhile_asks_for_a_contract(
    browser, live_server, client_user, acme
):
    """The race in two tabs: this form was shown with the contract free, another tab sent its request."""
    chosen, other = ContractFactory(client=acme), ContractFactory(client=acme)
    context = _context(browser, live_server, 375)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, client_user)
    page.goto("/requests/new/schedule_change/")
    page.select_option("#f-contract_id", str(chosen.pk))
    page.fill("#f-data__months", "48")
    first = submit(
        api_client_as(client_user), "schedule_change", chosen, {"months": 48, "installment_option": "auto"}
    )

    with page.expect_navigation():
        page.click("#submit-request")

    contract = page.locator("#f-contract_id")
    assert contract.input_value() == ""  # not the disabled option, which a browser would not send
    assert page.locator(f"#f-contract_id option[value='{chosen.pk}']").is_disabled()
    assert first.json()["number"] in page.locator("#err-contract_id").inner_text()
    page.select_option("#f-contract_id", str(other.pk))  # the client chooses again
    assert contract.input_value() == str(other.pk)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not errors
    context.close()
