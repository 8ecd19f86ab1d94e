"""Client walk 33 in the browser: the client administrator suspending a colleague listed on the users
page's second list page stays on that page, focused at the colleague's row (was back on page 1, the row
gone from view); a list sorted by a header keeps that order when filtered."""

from __future__ import annotations

import pytest

from tests.browser.test_staff_inbox import open_as
from tests.client_walk33.test_users_page_return import admin_membership, crowd  # noqa: F401 (fixtures)
from tests.factories import InvoiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suspending_on_page_2_stays_on_page_2_at_the_row(browser, asgi_server, admin_membership, crowd):  # noqa: F811
    last, admin = crowd, admin_membership.user
    context, page = open_as(browser, asgi_server, admin, "/client/users/?page=2")
    try:
        row = page.locator('[data-testid=member-row][data-email="zenon@acme.pl"]')
        row.locator("[data-testid=member-suspend]").click()
        page.wait_for_load_state()

        assert page.url.endswith(f"/client/users/?page=2#member-{last.pk}")
        assert row.locator("[data-testid=member-status]").inner_text() == "Zawieszony"
        assert page.evaluate("document.activeElement.id") == f"member-{last.pk}"
    finally:
        context.close()


def test_filtering_a_sorted_list_keeps_its_order(browser, asgi_server, client_user, acme, acme_contract):
    for _ in range(3):
        InvoiceFactory(client=acme, contract=acme_contract)
    context, page = open_as(browser, asgi_server, client_user, "/invoices/?sort=due_date")
    try:
        page.locator("form[method=get] button[type=submit]").first.click()
        page.wait_for_load_state()

        assert "sort=due_date" in page.url
        assert page.locator("th[aria-sort=ascending]").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_phone_field_is_as_tall_as_the_fields_beside_it(browser, asgi_server, client_user, acme, width):
    # the contact person's phone was 46 px among 48 px fields: styled apart, in requests.css, with its own padding
    context, page = open_as(browser, asgi_server, client_user, "/requests/new/other_request/")
    try:
        page.set_viewport_size({"width": width, "height": 900})
        phone = page.locator("input[type=tel]").first.bounding_box()["height"]
        email = page.locator("input[type=email]").first.bounding_box()["height"]
        assert phone == email
    finally:
        context.close()
