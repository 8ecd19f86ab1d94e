"""axe-core on every client page: no critical, serious or moderate violation (issue #15).

axe.min.js is vendored for the tests only (tests/browser/vendor/) and evaluated into each page by
tests/browser/a11y.py; the pages keep their strict CSP.
"""

from __future__ import annotations

import pytest

from tests.browser.a11y import assert_accessible, axe_violations, problems_on
from tests.browser.client_world import build_client_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
MAIN_PAGES = (
    "home",
    "invoices",
    "invoice detail",
    "settlements",
    "contracts",
    "contract detail",
    "messages",
    "requests",
)


def test_every_client_page_passes_axe_at_desktop_width(page):
    world = build_client_world()
    world.log_in(page)
    problems = problems_on(page, world.client_pages())
    assert problems == [], "\n".join(problems)


def test_the_main_client_pages_pass_axe_on_a_phone_with_the_menu_open(page):
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)
    pages = {name: path for name, path in world.client_pages().items() if name in MAIN_PAGES}
    problems = problems_on(page, pages)
    assert problems == [], "\n".join(problems)
    # the opened menu is checked too
    page.goto("/invoices/")
    page.get_by_role("button", name="Menu").click()
    assert_accessible(page, "invoices with the menu open")


def test_pages_before_logging_in_pass_axe(page):
    world = build_client_world()
    problems = problems_on(page, world.public_pages(), may_redirect=("activation",))
    for width in (PHONE,):
        page.set_viewport_size(width)
        problems += problems_on(page, world.public_pages(), may_redirect=("activation",))
    assert problems == [], "\n".join(problems)
    # and the activation link opened the form that sets the first password
    page.goto(world.public_pages()["activation"])
    assert page.locator("#id_new_password1").is_visible()
    assert page.get_by_role("button", name="Ustaw hasło").is_visible()


def test_the_language_buttons_are_named_by_what_they_show(page):
    # given any page (the PL/EN switch is in every header)
    page.goto("/login/")
    # then the accessible name starts with the visible text and says the language
    assert page.get_by_role("button", name="PL – polski").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="EN – English").get_attribute("aria-pressed") == "false"
    assert [v["id"] for v in axe_violations(page, ("serious",))] == []


def test_a_page_with_a_flash_message_passes_axe(page):
    # given: a logged-in client; creating a new calendar address answers with a flash message
    world = build_client_world()
    world.log_in(page)
    page.goto("/account/calendar/")

    # when
    page.get_by_role("button", name="Utwórz nowy adres").click()

    # then: the message is announced (role=status) and the list around it stays a list
    status = page.get_by_role("status")
    assert "nowy adres" in status.inner_text()
    assert_accessible(page, "calendar page with its flash message")
