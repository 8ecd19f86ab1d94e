"""The task page's state box at a laptop's and a desktop's width: the status badge of a request waiting for
the client ("Oczekuje na odpowiedź klienta") ran out of its column over the assignee's name (1,024 px), and
the buttons beside "Assign to" stood at the label's height, "Next task" stretched to the whole row's."""

from __future__ import annotations

import pytest

from backend.requests_app import services, task_hands
from tests.browser.conftest import log_in
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOX = "(selector) => { const r = document.querySelector(selector).getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height}; }"


def box(page, selector: str) -> dict:
    return page.evaluate(BOX, selector)


@pytest.fixture
def asked(client_user, acme, second_staff):
    """A request a colleague asked the client about."""
    portal_request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=second_staff, portal_request=portal_request)
    services.complete_staff_task(
        staff=second_staff,
        portal_request=portal_request,
        data={"decision": "ask_client", "question": "Prosimy o skan umowy."},
    )
    return portal_request


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_status_badge_stays_in_its_column(page, bok_staff, asked, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, bok_staff)
    page.goto(f"/staff/tasks/{asked.pk}/")

    badge, status, assignee = (
        box(page, "#request-status .badge"),
        box(page, "#request-status"),
        box(page, "#assignee"),
    )
    assert "Oczekuje na odpowiedź klienta" in page.inner_text("#request-status")
    assert badge["right"] <= status["right"] + 1, (badge, status)
    assert badge["right"] <= assignee["left"], (badge, assignee)


def test_the_state_boxs_buttons_stand_on_the_assign_rows_line(page, bok_staff, client_user, acme, asked):
    fresh = submit_other_request(client_user, acme)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, bok_staff)

    page.goto(f"/staff/tasks/{fresh.pk}/")
    claim, select, assign = box(page, "#claim"), box(page, "#assign-to"), box(page, "#assign")
    assert abs(claim["bottom"] - select["bottom"]) <= 2, (claim, select)
    assert abs(assign["bottom"] - select["bottom"]) <= 2, (assign, select)

    page.goto(f"/staff/tasks/{asked.pk}/")  # a colleague's request waiting for the client: "Next task"
    following, assign = box(page, "#next-task"), box(page, "#assign")
    assert following["height"] <= assign["height"] * 1.3, (following, assign)
