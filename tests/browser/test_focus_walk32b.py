"""The keyboard after an action, on the pages test_focus_walk32.py left (session 32's walk, SC4).

The pages below showed the message of what was just done, after a post and its redirect, with the keyboard
on <body>: a screen reader started at the page's top, the message only in a status region read at load by
nobody. They now use the one mechanism of forms.js (data-focus-start when there is a message): the page
opens on the message, or where the result is (#member-<id>, #duplicate-download) with the message said
beside it.
"""

from __future__ import annotations

import pytest

from backend.clients.models import ClientMembership
from backend.requests_app.decision_document import PENDING_KEY
from backend.requests_app.models import DocumentRender, RequestEvent
from notifications.models import Notice
from tests.browser.test_focus_walk32 import FOCUSED, open_as, said_beside
from tests.factories import InvoiceFactory, MembershipFactory, UserFactory
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "() => document.querySelector('.messages .message').textContent.trim()"


def test_a_client_administrator_comes_back_at_the_member_and_at_the_duplicate(
    browser, live_server, client_user, acme, other_client_user
):
    client_user.language = "en"
    client_user.save(update_fields=["language"])
    client_user.memberships.update(is_admin=True)
    context, page = open_as(browser, live_server.url, client_user, "/client/users/", locale="en-US")

    # an invitation of someone with an account already (no code to hand over): back at the new row
    form = page.get_by_test_id("invite-form")
    form.get_by_label("E-mail").fill(other_client_user.email)
    form.get_by_label("First name").fill("Jan")
    form.get_by_label("Last name").fill("Nowak")
    form.get_by_test_id("member-role").select_option("owner")
    with page.expect_navigation():
        form.get_by_role("button", name="Send the invitation").click()
    invited = ClientMembership.objects.get(client=acme, user=other_client_user)
    assert page.evaluate("() => window.location.hash") == f"#member-{invited.pk}"
    assert page.evaluate(FOCUSED) == {"id": f"member-{invited.pk}", "tag": "A", "text": "Change"}
    said = said_beside(page)
    assert said["role"] == "status" and said["text"] == said["message"] == "The invitation has been sent."
    assert said["in_view"]

    # a user's changes saved: back at that user's row, not at the top of the list
    page.keyboard.press("Enter")  # the row's Change link
    page.wait_for_url(f"**/client/users/{invited.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("member-form").get_by_role("button", name="Save").click()
    assert page.evaluate("() => window.location.hash") == f"#member-{invited.pk}"
    assert page.evaluate(FOCUSED)["id"] == f"member-{invited.pk}"
    said = said_beside(page)
    assert said["text"] == said["message"] == "The changes have been saved."

    # a duplicate generated: the keyboard on its download link, far down the invoice's page
    invoice = InvoiceFactory(client=acme, number="FV/2026/11/0042")
    page.goto(f"/invoices/{invoice.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("generate-duplicate").click()
    assert page.evaluate("() => window.location.hash") == "#duplicate-download"
    assert page.evaluate(FOCUSED) == {
        "id": "duplicate-download",
        "tag": "A",
        "text": "Download the duplicate (PDF)",
    }
    said = said_beside(page)
    assert said["text"] == said["message"] == "The duplicate of invoice FV/2026/11/0042 is ready."
    assert said["in_view"]
    context.close()


def test_a_client_lands_on_the_message_after_switching_company_and_after_own_settings(
    browser, live_server, client_user, acme, other_company
):
    MembershipFactory(user=client_user, client=other_company)
    Notice.objects.create(recipient=client_user, kind="invoice.issued", client=acme, payload={})
    context, page = open_as(browser, live_server.url, client_user, "/notices/")

    # the notices all marked read: on the message
    with page.expect_navigation():
        page.get_by_test_id("notices-read-all").click()
    assert (
        page.evaluate(FOCUSED)["text"]
        == page.evaluate(MESSAGE)
        == "Wszystkie powiadomienia oznaczono jako przeczytane."
    )

    # another company chosen in the header, from the page the client was on: that page opens on the message
    companies = [other_company, acme, other_company, acme, other_company]
    for path, company in zip(["/documents/", "/contracts/", "/policies/", "/client-data/", "/"], companies):
        page.goto(path)
        page.select_option("#client-switch", str(company.pk))
        with page.expect_navigation():
            page.click("form.switcher button[type=submit]")
        assert page.evaluate("() => window.location.pathname") == path
        expected = f"Działasz teraz w imieniu firmy {company.name}"
        assert page.evaluate(FOCUSED)["text"] == page.evaluate(MESSAGE) == expected, path

    # the calendar's new address and the other sessions logged out: each page opens on its message
    page.goto("/account/calendar/")
    with page.expect_navigation():
        page.locator("form[aria-describedby=regenerate-help] button[type=submit]").click()
    assert page.evaluate(FOCUSED)["text"] == page.evaluate(MESSAGE)
    assert page.evaluate(MESSAGE).startswith("Kalendarz ma nowy adres.")
    page.goto("/account/security/")
    with page.expect_navigation():
        page.click("#end-other-sessions")
    assert page.evaluate(FOCUSED)["text"] == page.evaluate(MESSAGE) == "Nie było innych otwartych sesji."
    context.close()


def test_an_administrator_lands_on_the_message_of_a_document_retried(browser, live_server, client_user, acme):
    admin = UserFactory(email="admin@leasing.example", role="admin", is_staff=True)
    portal_request = submit_other_request(client_user, acme)
    event = RequestEvent.objects.create(
        request=portal_request, kind=RequestEvent.Kind.DOCUMENT, data={PENDING_KEY: True}
    )
    DocumentRender.objects.create(event=event, attempts=3, last_error="OSError: disk full")
    context, page = open_as(browser, live_server.url, admin, "/staff/")

    # rendered by the worker meanwhile: "Retry now" says so, and the dashboard opens on that message
    RequestEvent.objects.filter(pk=event.pk).update(data={PENDING_KEY: False})
    with page.expect_navigation():
        page.click(f"#retry-document-{event.pk}")
    assert page.evaluate("() => window.location.pathname") == "/staff/"
    assert page.evaluate(FOCUSED)["text"] == page.evaluate(MESSAGE)
    assert page.evaluate(MESSAGE).startswith("Ten dokument już nie czeka")
    context.close()
