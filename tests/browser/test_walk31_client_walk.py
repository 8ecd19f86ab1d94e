"""Client walk, session 31: the buyout's list of contracts ("Wykup / wcześniejsze zakończenie umowy") drew
each contract as a bordered box whose text touched its border and whose number alone was a link: a box that
looks like a button but answered a tap on its number only. Now the whole padded box is the link."""

from __future__ import annotations

import pytest

from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 1280])
def test_each_buyout_contract_box_is_one_padded_link(page, login, client_user, acme_contract, width):
    ContractFactory(
        client=acme_contract.client
    )  # two active contracts: the page lists them (one opens its own)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, client_user)
    page.goto("/requests/new/early_termination/")
    item = page.locator("[data-testid=buyout-contracts] li").first
    link = item.locator("a")
    assert link.count() == 1
    box, link_box = item.bounding_box(), link.bounding_box()
    # the link fills its box (a tap anywhere in it opens the quote)...
    assert abs(link_box["width"] - box["width"]) <= 2 and abs(link_box["height"] - box["height"]) <= 2
    # ...and its text keeps off the box's border
    text_left = link.evaluate(
        "a => { const r = document.createRange(); r.selectNodeContents(a); return r.getClientRects()[0].left; }"
    )
    assert text_left - box["x"] >= 8
    assert link.get_attribute("href").endswith("/buyout/")
    with page.expect_navigation():
        link.click(position={"x": link_box["width"] - 10, "y": link_box["height"] / 2})
    assert page.url.endswith("/buyout/")
