"""Drafts in headless Chromium on the request page's reply form and on the permit form: saved while
typing, offered and resumed after a reload (the permit's checked countries come back as they were),
deleted when the reply is sent."""

from __future__ import annotations

import re

import pytest

from backend.drafts.models import Draft
from tests.browser.conftest import log_in
from tests.factories import ContractFactory, InsurancePolicyFactory, LeasedItemFactory, SerialNumberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Szkic zapisany \d\d:\d\d")


def test_the_reply_draft_is_resumed_and_gone_once_the_reply_is_sent(page, client_user, asked):
    log_in(page, client_user)
    page.goto(f"/requests/{asked.pk}/")
    page.fill("#reply-message", "Skan wyślę jutro rano")
    page.get_by_test_id("draft-status").filter(has_text=SAVED).wait_for()
    assert Draft.objects.get(user=client_user).form_key == f"request:reply:{asked.pk}"

    page.goto(f"/requests/{asked.pk}/")
    offer = page.get_by_test_id("draft-offer")
    offer.get_by_role("button", name=re.compile("Wznów szkic")).click()
    assert page.locator("#reply-message").input_value() == "Skan wyślę jutro rano"

    page.click("#send-reply")
    page.wait_for_selector(".messages")
    assert not Draft.objects.filter(user=client_user).exists()


def test_the_permit_draft_brings_back_the_checked_countries(page, client_user, acme):
    contract = ContractFactory(client=acme)
    item = LeasedItemFactory(contract=contract, name="Skoda Octavia 2.0 TDI")
    SerialNumberFactory(item=item, kind="VIN", value="TMBJJ7NE0L0000019")
    InsurancePolicyFactory(contract=contract, territorial_scope="eu_eea")
    log_in(page, client_user)
    page.goto("/requests/new/vehicle_abroad_permit/")
    for code in ("DE", "CZ"):
        page.check(f"input[name='data__countries'][value='{code}']")
    page.get_by_test_id("draft-status").filter(has_text=SAVED).wait_for()
    # one field, the list of the checked boxes (in the page's order)
    assert sorted(Draft.objects.get(user=client_user).data["data__countries"]) == ["CZ", "DE"]

    page.goto("/requests/new/vehicle_abroad_permit/")
    page.get_by_test_id("draft-offer").get_by_role("button", name=re.compile("Wznów szkic")).click()
    checked = page.locator("input[name='data__countries']:checked")
    assert sorted(checked.evaluate_all("boxes => boxes.map(b => b.value)")) == ["CZ", "DE"]
