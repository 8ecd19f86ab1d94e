"""On a phone the repair console's rows are cards: a process or stage name keeps its id on the line below it,
in one piece, rather than squeezed beside it and broken mid-word ("staff_revi|ew")."""

import pytest

from tests.portal_ui.test_flow_migration import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_card_shows_each_name_with_its_id_below_it_in_one_piece(
    page, login, analyst, client_user, acme
):
    # given a running request, so the console counts one
    submit_request(client_user, acme)
    login(page, analyst)

    # when the analyst opens the console on a phone
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/ops/")
    ids = page.locator("[data-testid=ops-counts] .ops-id")
    assert ids.count() >= 2

    # then every id sits under its name, on one line, inside the card
    for index in range(ids.count()):
        code = ids.nth(index)
        named = code.locator("xpath=..")
        name_top = named.bounding_box()["y"]
        box = code.bounding_box()
        line_height = code.evaluate(
            "el => parseFloat(getComputedStyle(el).lineHeight) || el.getBoundingClientRect().height"
        )
        assert box["y"] > name_top + 5, code.inner_text()
        assert box["height"] <= line_height * 1.5, f"{code.inner_text()} wraps"
        assert box["x"] + box["width"] <= 375
