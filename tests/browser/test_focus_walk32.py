"""The keyboard after an action (session 32's walk, SC3).

A member of staff who claimed a request from the task list was sent to the message at the page's top,
13-23 Tabs above the row they worked on: the list now comes back at that row's link (#task-<id>), the
message said beside it (a polite status) and the row's next control (Release) one Tab on.
A client who sent a message or a request, commented or saved their e-mail preferences was left on <body>, the message only in a status
region read at load by nobody: the page now opens on the message of what was done, as the staff pages do,
and a comment lands at the comment itself, at the thread's end (#message-<id>), the message said beside it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.core.money import format_datetime
from backend.drafts.models import Draft
from backend.messaging.models import Message, MessageThread
from backend.requests_app.models import PortalRequest
from tests.browser.test_staff_inbox import open_as as open_staff_inbox_as
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
IN_VIEW = """(el) => { const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight; }"""
FOCUSED = """() => { const el = document.activeElement;
  return {id: el.id, tag: el.tagName, text: el.textContent.trim()}; }"""


def open_as(browser, base_url: str, user, path: str, *, locale: str = "pl-PL"):
    """test_staff_inbox.open_as at 800 px high (what the "in view" checks below were written for)."""
    return open_staff_inbox_as(browser, base_url, user, path, locale=locale, height=800)


def said_beside(page) -> dict:
    """The status forms.js put beside where the page landed, once filled, and the message at the top."""
    page.wait_for_function("() => document.querySelector('[data-testid=landed-said]')?.textContent")
    said = page.locator("[data-testid=landed-said]")
    return {
        "role": said.get_attribute("role"),
        "text": said.inner_text(),
        "in_view": said.evaluate(IN_VIEW),
        "message": page.locator(".messages .message").first.inner_text(),
    }


def test_claiming_from_the_task_list_comes_back_at_the_claimed_row(
    browser, asgi_server, bok_staff, client_user, acme, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2  # the claim's own live event arrives while the page is open
    requests = [submit_other_request(client_user, acme, f"Sprawa {n}") for n in range(12)]
    context, page = open_as(browser, asgi_server, bok_staff, "/staff/tasks/?sort=number")
    claimed = requests[9]  # far down the list, below the first screen
    button = page.get_by_role("button", name=f"Przejmij {claimed.number}", exact=True)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # the keyboard on the claimed row's link, in view, with the message said beside it
    assert page.evaluate("() => window.location.hash") == f"#task-{claimed.pk}"
    assert page.evaluate(FOCUSED) == {"id": f"task-{claimed.pk}", "tag": "A", "text": claimed.number}
    said = said_beside(page)
    assert (
        said["role"] == "status"
        and said["text"] == said["message"] == "Zadanie zostało przypisane do Ciebie."
    )
    assert said["in_view"] and page.locator(f"#task-{claimed.pk}").evaluate(IN_VIEW)
    # the row's next control is one Tab on: its Release, where Claim was
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == f"Zwolnij {claimed.number}"
    page.keyboard.press("Shift+Tab")
    # on a phone's card the message is a line of its own under the link, inside the card
    page.set_viewport_size(PHONE)
    cell = page.locator(f"th:has(#task-{claimed.pk})").bounding_box()
    box = page.locator("[data-testid=landed-said]").bounding_box()
    assert box["x"] >= cell["x"] and box["x"] + box["width"] <= cell["x"] + cell["width"] + 1
    assert box["y"] > page.locator(f"#task-{claimed.pk}").bounding_box()["y"]
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    # the claim's live event re-fetches the list a moment later: the keyboard stays on the row
    page.wait_for_timeout(1200)
    assert page.evaluate(FOCUSED)["id"] == f"task-{claimed.pk}"
    context.close()


def test_a_client_in_english_lands_on_what_was_sent(browser, live_server, client_user, acme_contract):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    # a message draft saved earlier: offered with its time as the English pages write dates
    draft = Draft.objects.create(
        user=client_user,
        client=acme_contract.client,
        form_key="message:new",
        data={"subject": "Invoice copy", "body": "Please send a copy of the October invoice."},
    )
    Draft.objects.filter(pk=draft.pk).update(updated_at=datetime(2026, 12, 2, 3, 32, tzinfo=UTC))
    context, page = open_as(browser, live_server.url, client_user, "/messages/new/", locale="en-US")

    offer = page.get_by_test_id("draft-offer")
    when = format_datetime(datetime(2026, 12, 2, 3, 32, tzinfo=UTC), lang="en")
    assert when == "2026-12-02 04:32"  # Warsaw time, the date as format_date writes English dates
    resume = offer.get_by_role("button", name=f"Resume the draft of {when}", exact=True)
    resume.wait_for()  # offered once the page has asked the server
    resume.click()
    assert page.input_value("#id_subject") == "Invoice copy"
    page.select_option("#id_category", index=1)
    page.select_option("#id_contract_id", str(acme_contract.pk))
    with page.expect_navigation():
        page.click("form[data-testid=new-message-form] button[type=submit]")

    # the new thread opens on the message of what was sent, not on <body>
    thread = MessageThread.objects.get(subject="Invoice copy")
    assert page.evaluate(FOCUSED)["text"] == "Your message has been sent. We will answer as soon as possible."

    # a comment on a phone: back at the comment itself, the message said beside it
    page.set_viewport_size(PHONE)
    page.click("[data-testid=add-comment]")
    page.fill("#id_body", "One more question about the invoice.")
    with page.expect_navigation():
        page.click("form[data-testid=comment-form] button[type=submit]")
    comment = Message.objects.filter(thread=thread).latest("pk")
    assert page.evaluate("() => window.location.hash") == f"#message-{comment.pk}"
    assert page.evaluate(FOCUSED)["id"] == f"message-{comment.pk}"
    said = said_beside(page)
    assert said["role"] == "status" and said["text"] == said["message"] == "Your comment has been sent."
    assert said["in_view"]
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]

    # a new request: its page opens on the message that it was sent
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/requests/new/other_request/")
    page.fill("#f-data__subject", "Policy copy")
    page.fill("#f-data__message", "Please send a copy of the policy.")
    page.fill("#f-contact__phone", "601 234 567")
    for checkbox in page.locator("input[name^='declarations__']").all():
        checkbox.check()
    with page.expect_navigation():
        page.click("#submit-request")
    sent = PortalRequest.objects.get(form_data__subject="Policy copy")
    assert page.evaluate(FOCUSED)["text"] == f"Request {sent.number} has been sent."

    # the e-mail preferences, saved: the page opens on its message too
    page.goto("/account/")
    with page.expect_navigation():
        page.get_by_role("button", name="Save preferences").click()
    assert page.evaluate(FOCUSED)["text"] == "Your notification preferences have been saved."
    context.close()


def test_a_client_administrator_suspending_a_user_comes_back_at_the_row(
    browser, live_server, client_user, acme
):
    from tests.factories import MembershipFactory, UserFactory

    client_user.language = "en"
    client_user.save(update_fields=["language"])
    client_user.memberships.update(is_admin=True)
    colleague = UserFactory(email="jan.kowalski@acme.pl", first_name="Jan", last_name="Kowalski")
    member = MembershipFactory(user=colleague, client=acme)
    context, page = open_as(browser, live_server.url, client_user, "/client/users/", locale="en-US")

    row = page.locator("[data-testid=member-row][data-email='jan.kowalski@acme.pl']")
    with page.expect_navigation():
        row.get_by_test_id("member-suspend").click()

    # the keyboard on the row's first control, its Change link, the message said beside it
    assert page.evaluate("() => window.location.hash") == f"#member-{member.pk}"
    assert page.evaluate(FOCUSED) == {"id": f"member-{member.pk}", "tag": "A", "text": "Change"}
    said = said_beside(page)
    assert said["role"] == "status" and said["text"] == said["message"] == "The user has been suspended."
    assert said["in_view"]
    # one Tab on: the row's Resume, where Suspend was
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Resume"
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= PHONE["width"]
    context.close()
