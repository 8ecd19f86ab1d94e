"""axe-core on the staff and analyst pages, as tests/browser/test_accessibility.py does on the client's: no
critical, serious or moderate violation on any page staff or analysts work in every day, at desktop width
and on a phone (the client's pages were checked; these were not)."""

from __future__ import annotations

import pytest

from backend.messaging.client_writes import start_thread
from tests.browser.a11y import problems_on
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def staff_world(client_user, acme):
    portal_request = submit_request(client_user, acme)
    thread = start_thread(
        user=client_user,
        client=acme,
        subject="Faktura",
        category="invoices",
        body="Gdzie jest?",
        contract=None,
    )
    return {
        "dashboard": "/staff/",
        "task list": "/staff/tasks/",
        "task page": f"/staff/tasks/{portal_request.pk}/",
        "inbox": "/staff/messages/",
        "thread": f"/staff/messages/{thread.pk}/",
        "client search": "/staff/clients/?q=ACME",
        "client page": f"/staff/clients/{acme.pk}/",
        "client activation": "/staff/client-users/",
        "notices": "/notices/",
        "account": "/account/",
    }


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_every_staff_page_passes_axe(page, login, bok_staff, staff_world, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    login(page, bok_staff)
    problems = problems_on(page, staff_world)
    assert problems == [], "\n".join(problems)


def test_every_analyst_page_passes_axe(page, login, analyst, client_user, acme):
    portal_request = submit_request(client_user, acme)
    login(page, analyst)
    key = "payment_date_change"
    pages = {
        "flow list": "/analyst/flows/",
        "versions": f"/analyst/flows/{key}/versions/",
        "migrations": f"/analyst/flows/{key}/migrations/",
        "repair console": "/ops/",
        "instance": f"/ops/instances/{portal_request.process_instance.pk}/",
    }
    problems = problems_on(page, pages)
    assert problems == [], "\n".join(problems)
