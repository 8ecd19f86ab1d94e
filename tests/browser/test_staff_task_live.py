"""Staff's task page and task list follow the request live: the client's reply brings the decision back.

Through the real services and BPMN process and the real ASGI app (`asgi_server`: WebSockets and the push
relay). Staff wait on the page of a request that waits for the client; the client replies; without a
reload the page shows the reply, the stage and the decision forms (whose file fields are drawn in the
page's language), and the open task list gains the request.
"""

from __future__ import annotations

import pytest

from backend.requests_app import services
from tests.browser.test_staff_inbox import open_as
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_task_page_and_list_take_the_clients_reply_live(
    browser, asgi_server, bok_staff, client_user, asked, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    # given: staff have the request's page and the task list open, both live; the request waits for the client
    page_context, task = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{asked.pk}/")
    list_context, tasks = open_as(browser, asgi_server, bok_staff, "/staff/tasks/")
    for page in (task, tasks):
        page.wait_for_selector("[data-live-indicator][data-state=online]")
        page.evaluate("window.__notReloaded = true")
    assert task.locator("#form-approve").count() == 0
    assert tasks.locator(f'a[href="/staff/tasks/{asked.pk}/"]').count() == 0
    # staff start a comment meanwhile: what they type is theirs
    task.click(".comment-box summary")
    task.fill("#comment-message", "Zadzwonię do klienta.")

    # when: the client replies
    services.reply_to_request(
        user=client_user, portal_request=asked, message="Skan w załączeniu jutro.", attachment_ids=[]
    )

    # then: the page shows the reply and the decision forms, without a reload
    task.locator("#form-approve").wait_for()
    assert "Skan w załączeniu jutro." in task.inner_text("#request-history")
    assert task.locator("#form-approve .file-choice .file-choice-button").inner_text() == "Wybierz pliki"
    assert task.input_value("#comment-message") == "Zadzwonię do klienta."
    assert task.evaluate("window.__notReloaded") is True
    # and the list gains the request, also without a reload
    tasks.locator(f'a[href="/staff/tasks/{asked.pk}/"]').wait_for()
    assert tasks.evaluate("window.__notReloaded") is True
    # a form that arrived live still sends only once: on submit it is marked busy and its button disabled
    busy, disabled = task.evaluate(
        """() => {
             let seen = null;
             window.addEventListener("submit", (e) => {
               seen = [e.target.getAttribute("aria-busy"), e.target.querySelector("button[type=submit]").disabled];
               e.preventDefault();
             }, { once: true });
             document.getElementById("form-ask").requestSubmit();
             return seen;
           }"""
    )
    assert (busy, disabled) == ("true", True)
    # the decision form that arrived live decides
    task.fill("#approve-answer", "Zgoda.")
    task.click("#form-approve button[type=submit]")
    with task.expect_navigation():
        task.click("#decision-confirm-ok")  # the decision asks first
    assert task.inner_text("#request-status") == "Zrealizowany"
    page_context.close()
    list_context.close()


def test_events_of_other_requests_leave_the_task_page_alone(
    browser, asgi_server, bok_staff, client_user, acme, asked, settings
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    context, task = open_as(browser, asgi_server, bok_staff, f"/staff/tasks/{asked.pk}/")
    task.wait_for_selector("[data-live-indicator][data-state=online]")
    # The page's one socket also brings the events `asked` made just before (the relay's look-back):
    # let that catch-up settle first.
    task.wait_for_timeout(1500)
    fetches = []
    task.on(
        "request", lambda r: fetches.append(r.url) if r.url.endswith(f"/staff/tasks/{asked.pk}/") else None
    )
    # another request of the same client is submitted: its event is not this page's
    submit_other_request(client_user, acme, "Inna sprawa")
    task.wait_for_timeout(1500)
    assert fetches == []
    context.close()
