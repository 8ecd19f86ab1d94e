"""On a phone: a document's "(in Polish)" tag stays whole (it read "(in / Polis / h)" in a column squeezed
beside a long title), and a list says its count once (it said "9 results" on top and "9 items" under the
cards); at 1280 px, too, the count appears once. The demo bank's contracts fit a phone with their
bilingual portal button."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from backend.documents.models import Document
from tests.factories import ContractFactory, InvoiceFactory
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# The lines the tag's text takes: the distinct tops of a Range over its text (a flex item's own box is one
# block whatever its lines).
TAG_LINES = """() => [...document.querySelectorAll('[data-testid=in-polish]')].map(tag => {
  const range = document.createRange();
  range.selectNodeContents(tag);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  return {lines: tops.size, text: tag.textContent};
})"""


def test_on_a_phone_the_in_polish_tag_stays_whole(page, login, client_user, acme):
    # given: an English reader and a Polish decision letter, as the walk found it
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    Document.objects.create(
        client=acme,
        kind=Document.Kind.DECISION,
        title="Decyzja w sprawie wniosku WN/2026/000004",
        request_number="WN/2026/000004",  # shown as "Decision on request WN/2026/000004"
        file="documents/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
        issued_on=timezone.localdate(),
    )
    page.set_viewport_size(PHONE)
    login(page, client_user)

    # when
    page.goto("/documents/")
    tags = page.evaluate(TAG_LINES)

    # then: the tag is on one line (under the title when it does not fit beside it)
    assert tags == [{"lines": 1, "text": "(in Polish)"}]


COUNT = re.compile(r"\b2 (wyniki|pozycje|results|items)\b")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_a_list_says_its_count_once(page, login, client_user, acme, viewport):
    # given: two requests and two invoices
    for subject in ("Pierwszy", "Drugi"):
        submit_other_request(client_user, acme, subject=subject)
    contract = ContractFactory(client=acme)
    for _ in range(2):
        InvoiceFactory(client=acme, contract=contract)
    page.set_viewport_size(viewport)
    login(page, client_user)

    for path in ("/requests/", "/invoices/"):
        # when
        page.goto(path)
        # then: what the reader sees counts the rows once
        said = COUNT.findall(page.locator("main").inner_text())
        assert len(said) == 1, (path, said)


def test_on_a_phone_the_demo_banks_contracts_fit_with_their_bilingual_button(
    page, client_user, acme_contract
):
    from backend.sso.services import link_bank_customer

    link_bank_customer(bank_customer_id="BANK-0001", user=client_user)
    page.set_viewport_size(PHONE)
    page.goto("/bank-simulator/")
    page.fill("#customer_id", "BANK-0001")
    page.fill("#password", "x")
    with page.expect_navigation():
        page.click("form button[type=submit]")

    button = page.locator(f"button[data-contract='{acme_contract.number}']")
    assert button.inner_text().replace("\n", " ") == "Przejdź do Portalu Klienta / Go to the Client Portal"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
