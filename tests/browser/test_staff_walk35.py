"""Staff walk 35: the live task page's own message goes when someone else changed the page and stays for
the staff member's own follow-ups, whenever either comes (no clock decides); the staff pages on a phone."""

from __future__ import annotations

import pytest

from backend.requests_app import decision_document, services, task_hands
from tests.browser.staff_client_world35 import build_demo_client
from tests.browser.test_staff_inbox import open_as
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASKED = "Pytanie zostało wysłane"
APPROVED = "Wniosek został zatwierdzony."
# The page's clock moved: a minute back (a change "at once") or ahead (a change "much later").
CLOCK_BACK = "(() => { const now = Date.now; Date.now = () => now() - 60000; })()"
CLOCK_AHEAD = "(() => { const now = Date.now; Date.now = () => now() + 60000; })()"


def open_claimed_task(browser, asgi_server, bok_staff, client_user, acme):
    request = submit_other_request(client_user, acme)
    task_hands.claim_request(staff=bok_staff, portal_request=request)
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{request.pk}/")
    return request, context, page


def leave_the_message(page) -> None:
    page.wait_for_selector("[data-live-indicator][data-state=online]")
    page.locator("body").click(position={"x": 5, "y": 5})  # the keyboard leaves the message


def test_the_clients_answer_at_once_retires_the_message_of_the_question(
    browser, asgi_server, bok_staff, client_user, acme, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    request, context, page = open_claimed_task(browser, asgi_server, bok_staff, client_user, acme)
    try:
        page.fill("#ask-question", "Proszę o skan dowodu rejestracyjnego.")
        with page.expect_navigation():
            page.click("#form-ask button[type=submit]")
        assert ASKED in page.inner_text(".messages")
        leave_the_message(page)
        page.evaluate(CLOCK_BACK)  # the client answers within seconds: no clock may keep the message

        services.reply_to_request(
            user=client_user, portal_request=request, message="Skan w załączeniu.", attachment_ids=[]
        )

        page.locator("#form-approve").wait_for()
        page.wait_for_function("() => !document.querySelector('.messages')")
        assert ASKED not in page.inner_text("main")
    finally:
        context.close()


def test_a_colleague_taking_the_task_at_once_retires_the_message(
    browser, asgi_server, bok_staff, second_staff, client_user, acme, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    request = submit_other_request(client_user, acme)
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{request.pk}/")
    try:
        with page.expect_navigation():
            page.click("#claim")
        assert "Zadanie zostało przypisane do Ciebie." in page.inner_text(".messages")
        leave_the_message(page)
        page.evaluate(CLOCK_BACK)

        task_hands.assign_request(staff=second_staff, portal_request=request, assignee=second_staff)

        page.wait_for_function("() => !document.querySelector('.messages')")
        assert "Piotr Zając" in page.inner_text("main")
    finally:
        context.close()


def test_the_decision_document_stored_later_keeps_the_deciders_message(
    browser, asgi_server, bok_staff, client_user, acme, settings, monkeypatch
):
    # a real worker's set-up: the document is stored after the deciding step, by the worker
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued: list[int] = []
    monkeypatch.setattr(decision_document, "publish_ids", lambda task, ids: queued.extend(ids))
    request, context, page = open_claimed_task(browser, asgi_server, bok_staff, client_user, acme)
    try:
        page.fill("#approve-answer", "Zgoda.")
        page.click("#form-approve button[type=submit]")
        with page.expect_navigation():
            page.click("#decision-confirm-ok")
        assert APPROVED in page.inner_text(".messages")
        assert page.locator("#decision-document-preparing").is_visible()
        leave_the_message(page)
        page.evaluate(CLOCK_AHEAD)  # the worker is slow: a minute later
        assert len(queued) == 1

        decision_document.render_pending_document(queued[0])

        page.locator("#decision-document").wait_for()  # the page changed: the document's link
        assert APPROVED in page.inner_text(".messages")  # the follow-up of their own decision
    finally:
        context.close()


# --------------------------------------------------------------------------------------------------
# The client page on a phone


@pytest.fixture
def demo_client(acme, client_user) -> dict:
    return build_demo_client(acme, client_user)


def page_height(page) -> int:
    return page.evaluate("document.body.scrollHeight")


def test_a_big_clients_page_reads_in_a_sane_height_on_a_phone(browser, asgi_server, bok_staff, demo_client):
    # ten contracts, a year of their invoices and payments, six users: 13,105 px at 375 px before (cards
    # of every contract, every settlement per contract, every user, one value a line)
    context, page = open_as(browser, asgi_server, bok_staff, f"/staff/clients/{demo_client['client'].pk}/")
    try:
        page.set_viewport_size({"width": 375, "height": 800})
        assert page_height(page) < 10_000
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
        index = page.get_by_role("navigation", name="Sekcje strony")
        assert index.get_by_role("link", name="Umowy 10").is_visible()
        assert index.get_by_role("link", name="Faktury 120").is_visible()

        # every list is there in full one tap away: the contracts
        page.locator("#contracts").get_by_role("link", name="Pokaż całą listę (10)").click()
        page.wait_for_url("**contracts_page=1**")
        assert page.locator("#contracts [data-testid=contract-row]").count() == 10
        page.locator("#payments").get_by_role("link", name="Pokaż całą listę (10)", exact=True).click()
        page.wait_for_url("**balances_page=1**")
        assert page.locator("#balances [data-testid=balance-row]").count() == 10
        assert page.locator("#contracts [data-testid=contract-row]").count() == 10  # kept as asked
    finally:
        context.close()
