"""Long data at desktop widths (an outside walk with a big client): a 30-character contract number and a
company name of a hundred characters keep every list's actions inside its table - the client's invoices and
contracts, the staff task list and the inbox - and the company switcher shows the whole name on hover."""

from __future__ import annotations

import pytest

from tests.browser.client_world import build_client_world
from tests.browser.test_layout import MEASURE_TABLES, PAGE_WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG_NAME = (
    "Przedsiębiorstwo Handlowo-Usługowe ŻÓŁĆ Łódź Transport Międzynarodowy i Spedycja sp. z o.o. sp.k."
)
LONG_NUMBER = "UL/2025/LODZ-ZOLC-FLOTA-A/7722"


def problems_of(page, width: int, name: str) -> list[str]:
    found = []
    for table in page.evaluate(MEASURE_TABLES):
        if table["width"] > table["room"]:
            found.append(f"{width}px {name}: {table['table']} is {table['width']}px in {table['room']}px")
        if table["clipped"]:
            found.append(f"{width}px {name}: {table['table']} clips {table['clipped']}")
    if page.evaluate(PAGE_WIDTH) > width:
        found.append(f"{width}px {name}: the page scrolls sideways")
    return found


def test_long_numbers_and_names_keep_every_action_inside_the_lists(
    page, browser, live_server, login, bok_staff
):
    from backend.contracts.models import Contract
    from backend.invoices.models import Invoice
    from backend.messaging.client_writes import start_thread

    world = build_client_world()
    world.client.name = LONG_NAME
    world.client.save(update_fields=["name"])
    # the contract of the newest invoice gets the long number
    newest = (
        Invoice.objects.filter(client=world.client, contract__isnull=False).order_by("-issue_date").first()
    )
    Contract.objects.filter(pk=newest.contract_id).update(number=LONG_NUMBER)
    Contract.objects.filter(pk=world.request.contract_id).update(number=LONG_NUMBER[:-1] + "3")
    start_thread(
        user=world.user,
        client=world.client,
        subject="Korekta",
        category="invoices",
        body="Treść",
        contract=Contract.objects.get(pk=newest.contract_id),
    )
    problems = []
    world.log_in(page)
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (("invoices", "/invoices/"), ("contracts", "/contracts/")):
            page.goto(path)
            assert "LODZ-ZOLC-FLOTA-A" in page.inner_text("main"), name
            problems += problems_of(page, width, name)
    staff_context = browser.new_context(base_url=live_server.url)
    staff_context.set_default_timeout(15_000)
    staff_page = staff_context.new_page()
    login(staff_page, bok_staff)
    for width in (1024, 1280):
        staff_page.set_viewport_size({"width": width, "height": 900})
        for name, path in (("task list", "/staff/tasks/?scope=all"), ("inbox", "/staff/messages/")):
            staff_page.goto(path)
            assert LONG_NAME in staff_page.inner_text("main"), name
            if width == 1280:
                staff_page.screenshot(path=f"/tmp/long-data-{name.replace(' ', '-')}.png", full_page=True)
            problems += problems_of(staff_page, width, name)
    staff_context.close()
    assert problems == [], "\n".join(problems)
